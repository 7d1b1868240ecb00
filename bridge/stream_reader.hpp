// Reading a remote server's answers off an HTTP response as they arrive: a JSON body whole,
// or SSE events one by one, each message handed to a sink. Shared by both transports.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "bridge/sse.hpp"
#include "core/result.hpp"
#include "platform/http/http.hpp"

namespace mcpl {

/// Takes one message the server sent (JSON text).
using message_sink = std::function<void(std::string_view)>;

/// The largest message the bridge takes from a server (and the longest SSE line).
inline constexpr std::size_t kMaxMessageBytes = 64u << 20;

/// The whole body of `stream`. Fails with errc::unavailable when the connection breaks,
/// errc::content when the body is larger than kMaxMessageBytes.
asio::awaitable<result<std::string>> read_body(http_stream& stream);

/// Reads a body nobody needs to its end, so that its connection can be used again.
asio::awaitable<void> drain(http_stream& stream);

/// Reads SSE events off `stream` with `parser`, handing the data of each `message` event to
/// `sink` and every other event to `other` (when given), until the stream ends (success), it
/// breaks (errc::unavailable), or `done` says it is enough after a batch of events. Once
/// `done`, the rest of the stream is read for at most a moment, so that its connection can
/// be used again when the server ends it at once, as it should.
asio::awaitable<result<void>> read_events(http_stream& stream, sse_parser& parser,
                                          const message_sink& sink,
                                          const std::function<bool()>& done = {},
                                          const std::function<void(const sse_event&)>& other = {});

/// How long to wait before a dropped stream is opened again: the server's `retry:`, else
/// one second, and never more than a minute.
std::chrono::milliseconds reconnect_delay(const sse_parser& parser);

}  // namespace mcpl
