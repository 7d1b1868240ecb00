// A remote MCP transport as the bridge drives it: it sends each line of the client's to the
// server and hands every message the server sends back to the relay. Two kinds: Streamable
// HTTP (2025-03-26 on, and the stateless 2026-07-28 revision) and HTTP+SSE (2024-11-05).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bridge/auth.hpp"
#include "bridge/message.hpp"
#include "bridge/notes.hpp"
#include "bridge/relay.hpp"
#include "core/result.hpp"
#include "platform/http/http.hpp"

namespace mcpl {

/// One line of the client's, as it is sent on.
struct outgoing {
  std::string text;                    ///< as the client wrote it
  std::vector<jsonrpc_message> parts;  ///< its messages (several for a batch)

  bool is(message_kind kind, std::string_view method) const {
    return parts.size() == 1 && parts[0].kind == kind && parts[0].method == method;
  }
  bool is_initialize() const { return is(message_kind::request, "initialize"); }
  bool is_initialized() const {
    return is(message_kind::notification, "notifications/initialized");
  }
};

/// What a transport shares with the bridge.
struct transport_context {
  asio::any_io_executor executor;
  http_client* http = nullptr;
  relay* client = nullptr;
  authenticator* auth = nullptr;
  bridge_notes notes;
  std::string url;
  /// Bounds the start (the first exchange), each stream's connect and response head, and
  /// how long the server may stay unreachable before the bridge gives up.
  std::chrono::milliseconds timeout{30'000};
  /// The server is gone for good, or refused the credentials for good: ends the bridge.
  std::function<void(const error&)> fatal;
};

enum class delivered {
  ok,
  use_sse,  ///< --transport auto: the server answered the first POST as an HTTP+SSE one does
};

class remote_transport {
 public:
  virtual ~remote_transport() = default;

  /// Sends one line of the client's; what the server answers reaches the client through the
  /// relay. Fails with errc::unavailable (the server could not be reached, or its stream
  /// ended before it answered), errc::refused (credentials refused for good), errc::content
  /// (the server answered with an HTTP error).
  virtual asio::awaitable<result<delivered>> deliver(std::shared_ptr<const outgoing> line) = 0;

  /// Ends the session (Streamable HTTP: DELETE) and every stream.
  virtual asio::awaitable<void> close() = 0;
};

/// Streamable HTTP; `allow_sse_fallback` under --transport auto.
std::unique_ptr<remote_transport> make_streamable_transport(transport_context ctx,
                                                            bool allow_sse_fallback);

/// The 2024-11-05 HTTP+SSE transport.
std::unique_ptr<remote_transport> make_sse_transport(transport_context ctx);

/// Where HTTP+SSE's `endpoint` event (`uri`: absolute, absolute path, or relative) points,
/// resolved against the stream's URL `base`. Fails with errc::content for another origin
/// (the user's headers must go nowhere else) or what does not make a URL.
result<std::string> resolve_endpoint(const std::string& base, std::string_view uri);

}  // namespace mcpl
