// AWS Signature Version 4 (header signing) as a pure function: what a request must carry so
// that an AWS service accepts it. Tested against AWS's published test suite.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "platform/http/http.hpp"

namespace mcpl {

/// Access keys: long-term (no session token) or temporary (with one).
struct aws_credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  /// When temporary credentials expire (their answer's Expiration); none for keys.
  std::optional<std::chrono::system_clock::time_point> expiration;
};

/// The parts of a request that are signed. `path` is the decoded path ("/"); `query` the
/// query as sent, without '?'; `headers` include Host.
struct sigv4_request {
  std::string method;
  std::string path;
  std::string query;
  http_headers headers;
  std::string body;
};

struct sigv4_scope {
  std::string region;
  std::string service;
  std::chrono::system_clock::time_point when;
  bool normalize_path = true;  ///< remove "." and ".." segments and empty ones
  bool sign_body = false;      ///< add and sign X-Amz-Content-Sha256
};

struct sigv4_signature {
  /// The headers to add to the request: X-Amz-Date, X-Amz-Security-Token (temporary
  /// credentials), X-Amz-Content-Sha256 (when the body hash is signed), Authorization.
  http_headers headers;
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  ///< lower-case hex
};

/// Signs `req` with `creds` for `scope`. Every header of `req` is signed.
sigv4_signature sign_v4(const sigv4_request& req, const aws_credentials& creds,
                        const sigv4_scope& scope);

}  // namespace mcpl
