// Streamable HTTP (DESIGN §9): each line is POSTed, its answers read from the response (JSON
// or SSE, resumed with Last-Event-ID when the stream drops), the server's own messages from
// a GET stream, an expired session (404) replaced by a new one without the client noticing.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "bridge/stateless.hpp"
#include "bridge/stream_reader.hpp"
#include "bridge/streamable.hpp"
#include "bridge/transport.hpp"
#include "core/async.hpp"

namespace mcpl {

using namespace asio::experimental::awaitable_operators;

namespace {

using clock = std::chrono::steady_clock;

// How often one answer's stream is resumed before its request gets an error instead.
constexpr int kMaxResumptions = 5;

bool answers_all(const relay& client, const outgoing& line) {
  for (const auto& m : line.parts)
    if (m.kind == message_kind::request && client.awaiting(m.id)) return false;
  return true;
}

class streamable_transport final : public remote_transport {
 public:
  streamable_transport(transport_context ctx, bool allow_sse_fallback)
      : ctx_(std::move(ctx)),
        session_(ctx_.url, {}, allow_sse_fallback),
        stop_listening_(std::make_shared<async_event>(ctx_.executor)) {}

  asio::awaitable<result<delivered>> deliver(std::shared_ptr<const outgoing> line) override {
    if (line->parts.size() == 1 && line->parts[0].kind == message_kind::request &&
        is_stateless_revision(envelope_version(line->parts[0])))
      co_return co_await deliver_stateless(std::move(line));
    if (line->is_initialize()) {
      initialize_ = line->text;  // kept to start a new session when this one expires
    } else {
      if (line->is_initialized()) initialized_ = line->text;
      if (auto gate = renewing_) co_await gate->wait();
    }
    auto forward = [this, init = line->is_initialize()](std::string_view text) {
      for (const auto& m : ctx_.client->from_server(text))
        if (init && m.kind == message_kind::response) learn(m);
    };
    auto answered = [this, line] { return answers_all(*ctx_.client, *line); };
    co_return co_await exchange(line->text, line->is_initialize(), forward, answered);
  }

  asio::awaitable<void> close() override {
    closing_ = true;
    stop_listening_->set();
    auto creds = co_await ctx_.auth->current();
    if (!creds) co_return;
    session_.set_headers(creds->headers);
    auto req = session_.close();
    if (!req) co_return;
    req->deadline = clock::now() + std::min<std::chrono::milliseconds>(ctx_.timeout, std::chrono::seconds(5));
    auto ended = co_await ctx_.http->open(std::move(*req));
    if (!ended)
      ctx_.notes.debug("ending the session: " + ended.err().message);
    else
      ctx_.notes.debug("session ended: HTTP " + std::to_string((**ended).head().status));
  }

 private:
  // A request of the stateless revision: the standard headers from its body, no session,
  // no resumption; a stream that breaks before the answer is sent again, once. The tools
  // of a tools/list answer teach which arguments later calls mirror in headers.
  asio::awaitable<result<delivered>> deliver_stateless(std::shared_ptr<const outgoing> line) {
    const jsonrpc_message& request = line->parts[0];
    auto headers = stateless_headers(request, tools_);
    auto forward = [this, list = request.method == "tools/list"](std::string_view text) {
      if (!list) return (void)ctx_.client->from_server(text);
      auto answer = tools_.learn_answer(text);
      for (const auto& why : answer.dropped) ctx_.notes.warn("the remote server's " + why);
      ctx_.client->from_server(answer.dropped.empty() ? text : std::string_view(answer.text));
    };
    auto answered = [this, line] { return answers_all(*ctx_.client, *line); };
    auto r = co_await exchange(line->text, false, forward, answered, headers, false);
    if (!r && r.err().code == errc::unavailable && !answered()) {
      ctx_.notes.debug("the answer's stream broke; sending " + request.method + " again");
      r = co_await exchange(line->text, false, forward, answered, headers, false);
    }
    co_return r;
  }

  // POSTs `text` and reads what answers it, renewing the session or the credentials when
  // the server asks for it. `init`: an initialize request (its answer sets the session).
  // `extra`: headers of its own; `resumable`: a dropped stream may be resumed.
  asio::awaitable<result<delivered>> exchange(const std::string& text, bool init,
                                              message_sink sink, std::function<bool()> answered,
                                              const http_headers& extra = {},
                                              bool resumable = true) {
    for (int attempt = 0;; ++attempt) {
      auto creds = co_await ctx_.auth->current();
      if (!creds) co_return creds.err();
      session_.set_headers(creds->headers);
      unsigned generation = generation_;
      auto req = session_.post(text);
      req.headers.insert(req.headers.end(), extra.begin(), extra.end());
      bool carried_session = session_.session_id().has_value();
      if (init) req.deadline = clock::now() + ctx_.timeout;
      auto opened = co_await ctx_.http->open(std::move(req));
      if (!opened) co_return opened.err();
      http_stream& stream = **opened;
      switch (session_.answered(stream.head(), init, carried_session)) {
        case post_outcome::accepted:
          co_await drain(stream);
          co_return delivered::ok;
        case post_outcome::json: {
          auto body = co_await read_body(stream);
          if (!body) co_return body.err();
          if (!body->empty()) sink(*body);
          if (!answered())
            co_return fail(errc::content, "the server's JSON answer does not answer the request");
          break;
        }
        case post_outcome::event_stream: {
          auto r = co_await read_answer(std::move(*opened), sink, answered, resumable);
          if (!r) co_return r.err();
          break;
        }
        case post_outcome::session_expired:
          if (attempt >= 2) co_return fail(errc::unavailable, "the server keeps ending the session");
          co_await renew(generation);
          continue;
        case post_outcome::try_sse:
          co_return delivered::use_sse;
        case post_outcome::unauthorized: {
          co_await drain(stream);
          auto again = co_await ctx_.auth->refused(stream.head(), creds->generation);
          if (!again) co_return again.err();
          continue;
        }
        case post_outcome::failed:
          co_await drain(stream);
          if (init && stream.head().status == 403)
            co_return fail(errc::refused, "the remote server refused the credentials (HTTP 403)");
          co_return fail(errc::content,
                         "the server answered HTTP " + std::to_string(stream.head().status));
      }
      if (init) start_listening();
      co_return delivered::ok;
    }
  }

  // An answer that comes as an SSE stream: read until it answers, resumed from the last
  // event ID (after the server's retry delay) when it ends first.
  asio::awaitable<result<void>> read_answer(std::unique_ptr<http_stream> stream,
                                            const message_sink& sink,
                                            const std::function<bool()>& answered,
                                            bool resumable) {
    sse_parser parser;
    for (int resumed = 0;; ++resumed) {
      auto r = co_await read_events(*stream, parser, sink, answered);
      if (answered()) co_return result<void>();
      if (!r && r.err().code != errc::unavailable) co_return r;
      if (!resumable || parser.last_event_id().empty() || resumed == kMaxResumptions || closing_)
        co_return fail(errc::unavailable, "the server's stream ended before it answered");
      co_await sleep_until(clock::now() + reconnect_delay(parser));
      auto again = co_await open_stream(parser.last_event_id());
      if (!again) co_return again.err();
      if ((**again).head().status != 200)
        co_return fail(errc::unavailable, "the server would not resume its stream (HTTP " +
                                              std::to_string((**again).head().status) + ")");
      ctx_.notes.debug("resumed a dropped stream after event " + parser.last_event_id());
      stream = std::move(*again);
      parser.restart();
    }
  }

  // A GET for the server's stream, resuming after `last_event_id` when given.
  asio::awaitable<result<std::unique_ptr<http_stream>>> open_stream(std::string last_event_id) {
    auto creds = co_await ctx_.auth->current();
    if (!creds) co_return creds.err();
    session_.set_headers(creds->headers);
    auto req = session_.listen(last_event_id);
    req.deadline = clock::now() + ctx_.timeout;
    co_return co_await ctx_.http->open(std::move(req));
  }

  void learn(const jsonrpc_message& answer) {
    if (auto version = negotiated_version(answer); !version.empty()) session_.negotiated(version);
  }

  void start_listening() {
    stop_listening_->set();
    stop_listening_ = std::make_shared<async_event>(ctx_.executor);
    asio::co_spawn(ctx_.executor, listen(generation_, stop_listening_), asio::detached);
  }

  // The server's own stream (requests and notifications it sends unasked), open for as long
  // as the session lasts; none when the server answers 405.
  asio::awaitable<void> listen(unsigned generation, std::shared_ptr<async_event> stop) {
    sse_parser parser;
    std::optional<clock::time_point> down_since;
    auto forward = [this](std::string_view text) { ctx_.client->from_server(text); };
    while (!stop->is_set() && generation == generation_) {
      auto opened = co_await (open_stream(parser.last_event_id()) || stop->wait());
      if (opened.index() == 1) co_return;
      auto& got = std::get<0>(opened);
      if (!got) {
        if (got.err().code != errc::unavailable) {
          ctx_.notes.debug("GET stream: " + got.err().message);
          co_return;
        }
        if (!down_since) down_since = clock::now();
        if (clock::now() - *down_since >= ctx_.timeout) {
          ctx_.fatal(fail(errc::unavailable, "the server is gone: " + got.err().message));
          co_return;
        }
        co_await (sleep_until(clock::now() + reconnect_delay(parser)) || stop->wait());
        continue;
      }
      down_since.reset();
      const http_response& head = (**got).head();
      if (head.status == 404 && session_.session_id()) {
        co_await renew(generation);
        co_return;
      }
      if (head.status == 401) {
        auto creds = co_await ctx_.auth->current();
        auto again = co_await ctx_.auth->refused(head, creds ? creds->generation : 0);
        if (!again) {
          ctx_.fatal(again.err());
          co_return;
        }
        continue;
      }
      if (head.status != 200 || media_type(head) != "text/event-stream") {
        ctx_.notes.debug("no GET stream: the server answered HTTP " + std::to_string(head.status));
        co_return;
      }
      parser.restart();
      co_await (read_events(**got, parser, forward) || stop->wait());
      if (stop->is_set()) co_return;
      co_await (sleep_until(clock::now() + reconnect_delay(parser)) || stop->wait());
    }
  }

  // The session expired (404): starts a new one by replaying the client's initialize and
  // initialized, once, however many requests found out at the same time.
  asio::awaitable<void> renew(unsigned generation) {
    if (auto gate = renewing_) {  // under way: its session is the one to use
      co_await gate->wait();
      co_return;
    }
    if (generation != generation_) co_return;  // renewed already
    auto gate = renewing_ = std::make_shared<async_event>(ctx_.executor);
    ++generation_;
    stop_listening_->set();
    session_.expire();
    ctx_.notes.info("the remote session expired; starting a new one");
    bool got = false;
    auto capture = [this, &got](std::string_view text) {
      if (auto parsed = parse_messages(text))
        for (const auto& m : *parsed)
          if (m.kind == message_kind::response) {
            learn(m);
            got = true;
          }
    };
    auto r = co_await exchange(initialize_, true, capture, [&got] { return got; });
    if (r && !initialized_.empty())
      r = co_await exchange(initialized_, false, [](std::string_view) {}, [] { return true; });
    if (!r) ctx_.notes.warn("starting a new remote session failed: " + r.err().message);
    renewing_.reset();
    gate->set();
  }

  transport_context ctx_;
  streamable_session session_;
  std::string initialize_, initialized_;  // the client's, as it sent them
  tool_headers tools_;                    // stateless: what tools/list answers taught
  unsigned generation_ = 0;               // of the session: one more each time it is renewed
  std::shared_ptr<async_event> renewing_;
  std::shared_ptr<async_event> stop_listening_;
  bool closing_ = false;
};

}  // namespace

std::unique_ptr<remote_transport> make_streamable_transport(transport_context ctx,
                                                            bool allow_sse_fallback) {
  return std::make_unique<streamable_transport>(std::move(ctx), allow_sse_fallback);
}

}  // namespace mcpl
