#include "bridge/bridge.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "core/error.hpp"

namespace mcpl {

namespace {

using clock = std::chrono::steady_clock;

// The JSON-RPC text of a cancelled request's id, from notifications/cancelled.
std::optional<std::string> cancelled_id(const jsonrpc_message& m) {
  if (m.kind != message_kind::notification || m.method != "notifications/cancelled")
    return std::nullopt;
  auto params = m.body.find("params");
  if (params == m.body.end() || !params->is_object() || !params->contains("requestId"))
    return std::nullopt;
  return (*params)["requestId"].dump();
}

}  // namespace

remote_bridge::remote_bridge(asio::any_io_executor ex, http_client& http, authenticator& auth,
                             relay& client, bridge_notes notes, bridge_settings settings)
    : ex_(ex), settings_(std::move(settings)), done_(ex) {
  ctx_.executor = ex;
  ctx_.http = &http;
  ctx_.client = &client;
  ctx_.auth = &auth;
  ctx_.notes = std::move(notes);
  ctx_.url = settings_.url;
  ctx_.timeout = settings_.timeout;
  ctx_.fatal = [this](const error& e) {
    ctx_.notes.warn(e.message);
    give_up(e);
  };
  if (settings_.transport == "sse")
    transport_ = make_sse_transport(ctx_);
  else
    transport_ = make_streamable_transport(ctx_, settings_.transport == "auto");
}

void remote_bridge::receive(std::string line) {
  if (ending_) return;
  auto parts = parse_messages(line);
  if (!parts) {
    ctx_.notes.warn("stdin: a line that is not a JSON-RPC message (" + parts.err().message + ")");
    ctx_.client->write(error_answer("null", kParseError, "Parse error: " + parts.err().message));
    return;
  }
  auto out = std::make_shared<outgoing>();
  out->text = std::move(line);
  out->parts = std::move(*parts);
  for (const auto& m : out->parts) {
    if (m.kind == message_kind::request) ctx_.client->expect(m.id);
    if (auto id = cancelled_id(m)) ctx_.client->forget(*id);
  }
  ++in_flight_;
  asio::co_spawn(ex_, handle(std::move(out)), asio::detached);
}

asio::awaitable<void> remote_bridge::handle(std::shared_ptr<const outgoing> line) {
  // An initialize opens the session; what comes while it is under way waits for it. A
  // stateless client (2026-07-28) sends no initialize, and nothing waits.
  if (line->is_initialize() && !starting_) {
    starting_ = std::make_shared<async_event>(ex_);
    auto gate = starting_;
    auto r = co_await transport_->deliver(line);
    if (r && *r == delivered::use_sse) {
      ctx_.notes.info("the remote server speaks HTTP+SSE (2024-11-05); using that transport");
      transport_ = make_sse_transport(ctx_);
      r = co_await transport_->deliver(line);
    }
    if (!r)
      failed(*line, r.err());
    else
      started_ = true;
    gate->set();
  } else {
    if (auto gate = starting_) co_await gate->wait();
    auto transport = transport_;
    auto r = co_await transport->deliver(line);
    if (r && *r == delivered::use_sse)
      r = fail(errc::content, "the remote server does not take Streamable HTTP requests");
    if (!r) {
      failed(*line, r.err());
    } else {
      started_ = true;
      down_since_.reset();
    }
  }
  --in_flight_;
}

void remote_bridge::failed(const outgoing& line, const error& e) {
  for (const auto& m : line.parts)
    if (m.kind == message_kind::request) ctx_.client->answer_error(m.id, e.message);
  ctx_.notes.warn(e.message);
  if (e.code == errc::content) return;
  if (e.code == errc::unavailable && started_) {
    // The server may come back: the bridge gives up only when it stays away.
    if (!down_since_) down_since_ = clock::now();
    if (clock::now() - *down_since_ < settings_.timeout) return;
  }
  give_up(e);
}

void remote_bridge::give_up(const error& e) {
  // Stdin may have ended already: the bridge is winding down, but ends with this code.
  if (!fatal_) fatal_ = exit_code(e.code);
  ctx_.client->answer_all(e.message);
  asio::co_spawn(ex_, wind_down(*fatal_, false), asio::detached);
}

void remote_bridge::end_of_input() {
  if (ending_) return;
  asio::co_spawn(ex_, wind_down(0, true), asio::detached);
}

void remote_bridge::stop(int code) {
  if (ending_) return;
  asio::co_spawn(ex_, wind_down(code, false), asio::detached);
}

asio::awaitable<void> remote_bridge::wind_down(int code, bool wait_for_answers) {
  if (ending_) co_return;
  ending_ = true;
  if (wait_for_answers) {
    auto until = clock::now() + settings_.timeout;
    while ((in_flight_ > 0 || ctx_.client->awaiting_count() > 0) && clock::now() < until)
      co_await sleep_until(clock::now() + std::chrono::milliseconds(10));
    ctx_.client->answer_all("stdin ended before the remote server answered");
  }
  co_await transport_->close();
  finish(fatal_.value_or(code));
}

void remote_bridge::finish(int code) {
  code_ = code;
  done_.set();
}

asio::awaitable<int> remote_bridge::finished() {
  co_await done_.wait();
  co_return code_;
}

}  // namespace mcpl
