// IAM Identity Center (SSO) as the AWS SDKs use it after `aws sso login`: the access token
// the CLI cached in ~/.aws/sso/cache, and the portal's GetRoleCredentials, which trades it
// for a role's temporary keys. The launcher only reads the cache: refreshing the token
// would rotate the refresh token, which would then have to be written back to disk. No I/O
// here.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "platform/http/http.hpp"
#include "providers/aws/aws_settings.hpp"

namespace mcpl {

/// A cached login: its access token, and the cache's other credentials (the refresh token,
/// the client secret), which messages must never show.
struct sso_cached_token {
  std::string access_token;
  std::vector<std::string> other_secrets;
};

/// The access token of a cache file's text, if it is still valid at `now`. An expired (or
/// unreadable) login is errc::refused, with the command `c.sso_login` that logs in again.
result<sso_cached_token> parse_sso_cache(const std::string& text, const aws_credential_source& c,
                                         std::chrono::system_clock::time_point now);

/// GET {endpoint}/federation/credentials?account_id=…&role_name=… with the access token in
/// x-amz-sso_bearer_token. `endpoint` "" is the portal of the source's region.
http_request sso_role_credentials_request(const std::string& endpoint,
                                          const aws_credential_source& c,
                                          const std::string& access_token);

/// The role's keys of a GetRoleCredentials answer (`expiration` in epoch milliseconds), or
/// the error it means: 401 (the login is no longer valid) and 403 (no such assignment) are
/// refusals (the caller says how to log in again); 429 and 5xx are transient.
result<aws_credentials> parse_sso_role_credentials(int status, const std::string& body);

}  // namespace mcpl
