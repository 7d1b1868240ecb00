#include "bridge/streamable.hpp"

#include <algorithm>
#include <cctype>

namespace mcpl {

std::string media_type(const http_response& head) {
  std::string type = head.header("content-type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return type;
}

streamable_session::streamable_session(std::string url, http_headers headers,
                                       bool allow_sse_fallback)
    : url_(std::move(url)), headers_(std::move(headers)), allow_sse_fallback_(allow_sse_fallback) {}

http_request streamable_session::base(const char* method) const {
  http_request req;
  req.method = method;
  req.url = url_;
  req.headers = headers_;
  if (session_) req.headers.emplace_back("Mcp-Session-Id", *session_);
  if (!version_.empty()) req.headers.emplace_back("MCP-Protocol-Version", version_);
  return req;
}

http_request streamable_session::post(const std::string& json) const {
  http_request req = base("POST");
  req.headers.emplace_back("Content-Type", "application/json");
  req.headers.emplace_back("Accept", "application/json, text/event-stream");
  req.body = json;
  return req;
}

http_request streamable_session::listen(const std::string& last_event_id) const {
  http_request req = base("GET");
  req.headers.emplace_back("Accept", "text/event-stream");
  if (!last_event_id.empty()) req.headers.emplace_back("Last-Event-ID", last_event_id);
  return req;
}

std::optional<http_request> streamable_session::close() const {
  if (!session_) return std::nullopt;
  return base("DELETE");
}

post_outcome streamable_session::answered(const http_response& head, bool is_initialize,
                                          bool carried_session) {
  bool first = !answered_once_;
  answered_once_ = true;
  if (head.status == 202) return post_outcome::accepted;
  if (head.status >= 200 && head.status < 300) {
    if (is_initialize) {
      if (auto id = head.header("mcp-session-id"); !id.empty()) session_ = id;
    }
    return media_type(head) == "text/event-stream" ? post_outcome::event_stream
                                                   : post_outcome::json;
  }
  if (head.status == 401) return post_outcome::unauthorized;
  if (head.status == 404 && carried_session) return post_outcome::session_expired;
  if (first && allow_sse_fallback_ &&
      (head.status == 400 || head.status == 404 || head.status == 405))
    return post_outcome::try_sse;
  return post_outcome::failed;
}

}  // namespace mcpl
