// The client side of MCP's Streamable HTTP transport (revisions 2025-03-26 to 2025-11-25,
// DESIGN §9) as a state machine over requests and response heads: what to send for each
// message, and what an answer means. Pure: the driver does the I/O.
#pragma once

#include <optional>
#include <string>

#include "platform/http/http.hpp"

namespace mcpl {

/// What an answer to a POSTed message means for the driver.
enum class post_outcome {
  accepted,         ///< 202: a notification or response was taken; nothing to read
  json,             ///< 200 application/json: the body is the answer
  event_stream,     ///< 200 text/event-stream: answers (and server requests) come as SSE
  session_expired,  ///< 404 to a request that carried a session: initialize again, resend
  try_sse,          ///< 400/404/405 to the first POST under --transport auto: HTTP+SSE server
  unauthorized,     ///< 401: credentials refused (or a token to renew)
  failed,           ///< anything else: the request gets a JSON-RPC error
};

class streamable_session {
 public:
  /// `url` is the server's MCP endpoint; `headers` the user's (Authorization, X-API-Key…).
  streamable_session(std::string url, http_headers headers, bool allow_sse_fallback);

  /// The POST carrying one JSON-RPC message (`json`, one line).
  http_request post(const std::string& json) const;

  /// The GET that opens the server's own stream, resuming after `last_event_id` when given.
  http_request listen(const std::string& last_event_id = "") const;

  /// The DELETE that ends the session; nothing when there is none to end.
  std::optional<http_request> close() const;

  /// Classifies the answer to a POST and learns from it: the session id an `initialize`
  /// answer carries (`is_initialize`), and that the first POST has been answered. A 404 means
  /// an expired session only when the request carried one (`carried_session`): requests sent
  /// before another found out and renewed it carried the old one.
  post_outcome answered(const http_response& head, bool is_initialize, bool carried_session);

  /// The protocol revision the server chose in its InitializeResult: sent as
  /// MCP-Protocol-Version on every later request.
  void negotiated(std::string version) { version_ = std::move(version); }

  /// The headers the user's configuration and the authenticator give, sent first on every
  /// request from now on.
  void set_headers(http_headers headers) { headers_ = std::move(headers); }

  /// Forgets the session (after a 404): the next `initialize` starts a new one.
  void expire() { session_.reset(); }

  const std::optional<std::string>& session_id() const { return session_; }
  const std::string& protocol_version() const { return version_; }

 private:
  http_request base(const char* method) const;

  std::string url_;
  http_headers headers_;
  bool allow_sse_fallback_;
  bool answered_once_ = false;
  std::optional<std::string> session_;
  std::string version_;
};

/// The media type of a response, lower case and without parameters ("text/event-stream").
std::string media_type(const http_response& head);

}  // namespace mcpl
