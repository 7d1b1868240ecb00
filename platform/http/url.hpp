// URLs as the HTTP client and the stores need them: parsed into parts, checked against
// DESIGN §7 (https, or http to loopback or metadata endpoints), and built from percent-encoded
// pieces.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace mcpl {

struct url_parts {
  std::string scheme;  ///< "https" or "http", lower case
  std::string host;    ///< without brackets for IPv6 literals
  std::string port;    ///< always set: the default of the scheme when the URL has none
  std::string target;  ///< path and query, at least "/"

  /// "host:port", the host in brackets when it is an IPv6 address: a CONNECT target.
  std::string host_port() const;

  /// "scheme://host:port": what connections are pooled by.
  std::string origin() const;

  /// What the Host header holds: host_port() without the scheme's default port.
  std::string authority() const;
};

/// Parses an absolute http(s) URL. Rejects user-info (credentials do not belong in URLs),
/// fragments, other schemes, malformed hosts or ports, and spaces or control characters
/// anywhere (they would break the request line) with errc::config.
result<url_parts> parse_url(std::string_view url);

/// True for "localhost", 127.0.0.0/8 and ::1.
bool is_loopback_host(std::string_view host);

/// True for the link-local addresses where clouds answer for the machine they run it: the
/// instance metadata and container credential endpoints (169.254.0.0/16, fe80::/10,
/// fd00:ec2::/64 of EC2's IPv6 endpoints) and GCE's metadata.google.internal. Plain http://
/// to them is allowed, as it must be, and never proxied.
bool is_metadata_host(std::string_view host);

/// True when `host` is an IPv4 or IPv6 literal (no name lookup, no SNI).
bool is_ip_literal(std::string_view host);

/// Checks a store's base URL (`address`, `siteUrl`): parseable, https — or http to a
/// loopback address — and no query. Returns it without trailing slashes. `field` names it
/// in the message.
result<std::string> check_base_url(std::string_view url, std::string_view field);

/// Percent-encodes everything but RFC 3986 unreserved characters; with `keep_slash`, '/'
/// stays as is (for paths).
std::string percent_encode(std::string_view text, bool keep_slash = false);

/// "a=1&b=2" from pairs, values percent-encoded: an application/x-www-form-urlencoded
/// body (OAuth token requests, STS).
std::string form_body(const std::vector<std::pair<std::string, std::string>>& params);

/// "?a=1&b=2" from pairs, values percent-encoded; "" when `params` is empty.
std::string query_string(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace mcpl
