#include "bridge/stream_reader.hpp"

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "core/async.hpp"

namespace mcpl {

using namespace asio::experimental::awaitable_operators;

namespace {

// After the answer: what remains of the stream, if it comes within this moment.
constexpr auto kDrain = std::chrono::milliseconds(100);

}  // namespace

asio::awaitable<result<std::string>> read_body(http_stream& stream) {
  std::string body;
  for (;;) {
    auto chunk = co_await stream.read_some();
    if (!chunk) co_return chunk.err();
    if (chunk->empty()) co_return body;
    if (body.size() + chunk->size() > kMaxMessageBytes)
      co_return fail(errc::content, "the server's answer is larger than 64 MiB");
    body += *chunk;
  }
}

asio::awaitable<void> drain(http_stream& stream) {
  auto body = co_await read_body(stream);
  (void)body;
}

asio::awaitable<result<void>> read_events(http_stream& stream, sse_parser& parser,
                                          const message_sink& sink,
                                          const std::function<bool()>& done,
                                          const std::function<void(const sse_event&)>& other) {
  auto take = [&](const std::string& chunk) -> result<void> {
    for (const auto& event : parser.feed(chunk)) {
      if (event.type == "message") {
        // An event with empty data primes a stream for resumption: its id is all it carries.
        if (event.data.find_first_not_of(" \t\r\n") != std::string::npos) sink(event.data);
      }
      else if (other)
        other(event);
    }
    if (parser.pending() > kMaxMessageBytes)
      return fail(errc::content, "an SSE line of the server is longer than 64 MiB");
    return {};
  };
  for (;;) {
    auto chunk = co_await stream.read_some();
    if (!chunk) co_return chunk.err();
    if (chunk->empty()) co_return result<void>();
    if (auto r = take(*chunk); !r) co_return r;
    if (!done || !done()) continue;
    auto until = std::chrono::steady_clock::now() + kDrain;
    for (;;) {
      auto got = co_await (stream.read_some() || sleep_until(until));
      if (got.index() == 1) co_return result<void>();
      auto& rest = std::get<0>(got);
      if (!rest || rest->empty()) co_return result<void>();
      if (auto r = take(*rest); !r) co_return r;
    }
  }
}

std::chrono::milliseconds reconnect_delay(const sse_parser& parser) {
  return std::min(parser.retry().value_or(std::chrono::milliseconds(1000)),
                  std::chrono::milliseconds(60'000));
}

}  // namespace mcpl
