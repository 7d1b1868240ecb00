// The 2024-11-05 HTTP+SSE transport (DESIGN §9): a GET opens the server's event stream, whose
// first `endpoint` event names where to POST messages; every answer comes on that stream.
// When the stream ends the session is over: a new one is opened and the client's
// initialize replayed, and requests that were waiting get an error answer.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "bridge/stream_reader.hpp"
#include "bridge/streamable.hpp"
#include "bridge/transport.hpp"
#include "core/async.hpp"
#include "platform/http/url.hpp"

namespace mcpl {

namespace {

using clock = std::chrono::steady_clock;

class sse_transport final : public remote_transport {
 public:
  explicit sse_transport(transport_context ctx) : ctx_(std::move(ctx)) {}

  asio::awaitable<result<delivered>> deliver(std::shared_ptr<const outgoing> line) override {
    if (line->is_initialize()) initialize_ = line->text;
    if (line->is_initialized()) initialized_ = line->text;
    for (int attempt = 0;; ++attempt) {
      auto endpoint = co_await connected();
      if (!endpoint) co_return endpoint.err();
      auto creds = co_await ctx_.auth->current();
      if (!creds) co_return creds.err();
      http_request req;
      req.method = "POST";
      req.url = *endpoint;
      req.headers = creds->headers;
      req.headers.emplace_back("Content-Type", "application/json");
      req.body = line->text;
      auto answer = co_await ctx_.http->send(std::move(req));
      if (!answer) co_return answer.err();
      if (answer->status == 401 && attempt < 2) {
        auto again = co_await ctx_.auth->refused(*answer, creds->generation);
        if (!again) co_return again.err();
        continue;
      }
      if (answer->status < 200 || answer->status >= 300)
        co_return fail(errc::content, "the server answered HTTP " + std::to_string(answer->status));
      co_return delivered::ok;
    }
  }

  asio::awaitable<void> close() override {
    closing_ = true;
    if (stop_) stop_->set();
    co_return;
  }

 private:
  // The endpoint of the open session, opening one first when there is none.
  asio::awaitable<result<std::string>> connected() {
    if (endpoint_) co_return *endpoint_;
    if (auto gate = opening_) {
      co_await gate->wait();
      if (endpoint_) co_return *endpoint_;
      co_return fail(errc::unavailable, "the server's SSE stream could not be opened");
    }
    auto gate = opening_ = std::make_shared<async_event>(ctx_.executor);
    auto opened = co_await open();
    opening_.reset();
    gate->set();
    if (!opened) co_return opened.err();
    co_return *endpoint_;
  }

  // GET the stream and wait for its `endpoint` event; the rest of the stream is then read
  // in the background.
  asio::awaitable<result<void>> open() {
    for (int attempt = 0;; ++attempt) {
      auto creds = co_await ctx_.auth->current();
      if (!creds) co_return creds.err();
      http_request req;
      req.url = ctx_.url;
      req.headers = creds->headers;
      req.headers.emplace_back("Accept", "text/event-stream");
      req.deadline = clock::now() + ctx_.timeout;
      auto got = co_await ctx_.http->open(std::move(req));
      if (!got) co_return got.err();
      const http_response& head = (**got).head();
      if (head.status == 401 && attempt < 2) {
        auto again = co_await ctx_.auth->refused(head, creds->generation);
        if (!again) co_return again.err();
        continue;
      }
      if (head.status != 200 || media_type(head) != "text/event-stream")
        co_return fail(errc::unavailable, "the server did not open an SSE stream (HTTP " +
                                              std::to_string(head.status) + ")");
      auto parser = std::make_shared<sse_parser>();
      std::optional<result<std::string>> endpoint;
      auto forward = [this](std::string_view text) { ctx_.client->from_server(text); };
      auto on_event = [&](const sse_event& e) {
        if (e.type == "endpoint" && !endpoint) endpoint = resolve_endpoint(ctx_.url, e.data);
      };
      auto r = co_await read_events(**got, *parser, forward, [&] { return endpoint.has_value(); },
                                    on_event);
      if (!endpoint) co_return fail(errc::unavailable, r ? "the server's SSE stream ended before "
                                                            "it named its endpoint"
                                                          : r.err().message);
      if (!*endpoint) co_return endpoint->err();
      endpoint_ = std::move(**endpoint);
      stop_ = std::make_shared<async_event>(ctx_.executor);
      asio::co_spawn(ctx_.executor, follow(std::move(*got), parser, stop_), asio::detached);
      co_return result<void>();
    }
  }

  // Reads the session's stream until it ends; then the session is over.
  asio::awaitable<void> follow(std::unique_ptr<http_stream> stream,
                               std::shared_ptr<sse_parser> parser,
                               std::shared_ptr<async_event> stop) {
    using namespace asio::experimental::awaitable_operators;
    auto forward = [this](std::string_view text) { ctx_.client->from_server(text); };
    co_await (read_events(*stream, *parser, forward) || stop->wait());
    if (stop->is_set() || closing_) co_return;
    endpoint_.reset();
    ctx_.notes.info("the remote server ended its SSE stream; opening a new session");
    ctx_.client->answer_all("the remote server ended the session before it answered");
    if (initialize_.empty()) co_return;
    auto replay = [this](const std::string& text) -> asio::awaitable<result<delivered>> {
      auto line = std::make_shared<outgoing>();
      line->text = text;
      co_return co_await deliver(line);
    };
    auto r = co_await replay(initialize_);
    if (r && !initialized_.empty()) r = co_await replay(initialized_);
    if (!r && r.err().code != errc::content) ctx_.fatal(r.err());
  }

  transport_context ctx_;
  std::optional<std::string> endpoint_;
  std::shared_ptr<async_event> opening_;
  std::shared_ptr<async_event> stop_;
  std::string initialize_, initialized_;
  bool closing_ = false;
};

}  // namespace

result<std::string> resolve_endpoint(const std::string& base, std::string_view uri) {
  auto from = parse_url(base);
  if (!from) return from.err();
  std::string target;
  if (uri.starts_with("http://") || uri.starts_with("https://")) {
    auto to = parse_url(uri);
    if (!to) return fail(errc::content, "the server's endpoint event is not a URL");
    if (to->origin() != from->origin())
      return fail(errc::content, "the server's endpoint event names another origin");
    target = to->target;
  } else if (uri.starts_with("/")) {
    target = uri;
  } else {
    std::string path = from->target.substr(0, from->target.find('?'));
    target = path.substr(0, path.rfind('/') + 1) + std::string(uri);
  }
  std::string url = from->scheme + "://" + from->host_port() + target;
  if (!parse_url(url)) return fail(errc::content, "the server's endpoint event is not a URL");
  return url;
}

std::unique_ptr<remote_transport> make_sse_transport(transport_context ctx) {
  return std::make_unique<sse_transport>(std::move(ctx));
}

}  // namespace mcpl
