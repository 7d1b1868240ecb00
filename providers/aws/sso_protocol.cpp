#include "providers/aws/sso_protocol.hpp"

#include <nlohmann/json.hpp>

#include "platform/http/url.hpp"
#include "providers/aws/credential_sources.hpp"
#include "providers/http/http_errors.hpp"

namespace mcpl {

result<sso_cached_token> parse_sso_cache(const std::string& text, const aws_credential_source& c,
                                         std::chrono::system_clock::time_point now) {
  std::string log_in = ": run `" + c.sso_login + "`";
  auto j = parse_json(text);
  if (!j || !j->is_object())
    return fail(errc::refused,
                "the IAM Identity Center login in " + c.sso_cache_file + " is not JSON" + log_in);
  sso_cached_token token{string_field(*j, "accessToken").value_or(""), {}};
  for (const char* other : {"refreshToken", "clientSecret"})
    if (auto value = string_field(*j, other)) token.other_secrets.push_back(*value);
  // The CLI v2 writes "…Z"; v1 wrote "…UTC".
  std::string expires = string_field(*j, "expiresAt").value_or("");
  if (expires.ends_with("UTC")) expires.replace(expires.size() - 3, 3, "Z");
  auto when = parse_expiration(expires);
  if (token.access_token.empty() || !when)
    return fail(errc::refused, "the IAM Identity Center login in " + c.sso_cache_file +
                                   " has no accessToken or expiresAt" + log_in);
  if (*when <= now)
    return fail(errc::refused,
                "the IAM Identity Center login of " + c.origin + " expired at " + expires + log_in);
  return token;
}

http_request sso_role_credentials_request(const std::string& endpoint,
                                          const aws_credential_source& c,
                                          const std::string& access_token) {
  std::string base =
      endpoint.empty() ? "https://portal.sso." + c.sso_region + ".amazonaws.com" : endpoint;
  http_request req;
  req.url = base + "/federation/credentials" +
            query_string({{"account_id", c.sso_account_id}, {"role_name", c.sso_role_name}});
  req.headers = {{"x-amz-sso_bearer_token", access_token}};
  return req;
}

result<aws_credentials> parse_sso_role_credentials(int status, const std::string& body) {
  auto j = parse_json(body);
  if (status != 200) {
    std::string said = j ? string_field(*j, "message").value_or("") : "";
    auto e = http_failure(status, said);
    if (status == 401)
      return fail(errc::refused,
                  "IAM Identity Center no longer takes the login (" + said.substr(0, 120) + ")");
    if (status == 403 || status == 404) e.code = errc::refused;
    return fail(e.code, "IAM Identity Center GetRoleCredentials: " + e.message);
  }
  const nlohmann::json* role =
      j && j->is_object() && j->contains("roleCredentials") ? &(*j)["roleCredentials"] : nullptr;
  if (!role || !role->is_object())
    return fail(errc::unavailable, "IAM Identity Center: the answer has no roleCredentials");
  aws_credentials creds{string_field(*role, "accessKeyId").value_or(""),
                        string_field(*role, "secretAccessKey").value_or(""),
                        string_field(*role, "sessionToken").value_or(""), std::nullopt};
  if (auto ms = role->find("expiration"); ms != role->end() && ms->is_number_integer())
    creds.expiration = unix_time(ms->get<std::int64_t>(), 1000);  // milliseconds
  if (creds.access_key_id.empty() || creds.secret_access_key.empty())
    return fail(errc::unavailable, "IAM Identity Center: the answer has no accessKeyId");
  return creds;
}

}  // namespace mcpl
