#include "providers/gcp/gcp_credentials.hpp"

#include <nlohmann/json.hpp>

#include "platform/http/url.hpp"
#include "providers/http/http_errors.hpp"
#include "providers/settings.hpp"

namespace mcpl {

namespace {

using json = nlohmann::json;

constexpr const char* kGoogleTokenUri = "https://oauth2.googleapis.com/token";
constexpr const char* kCloudPlatform = "https://www.googleapis.com/auth/cloud-platform";

// A URL a token may be sent to: https anywhere, plain http only to loopback (a test double).
result<std::string> token_url(const std::string& url, const std::string& field) {
  auto parts = parse_url(url);
  if (!parts) return fail(errc::config, field + ": " + parts.err().message);
  if (parts->scheme != "https" && !is_loopback_host(parts->host))
    return fail(errc::config, field + " must be an https:// URL");
  return url;
}

result<gcp_credential> source_of(const json& j, const std::string& origin, bool nested) {
  auto bad = [&](const std::string& why) { return fail(errc::config, origin + ": " + why); };
  if (!j.is_object()) return bad("not a credentials file (a JSON object)");
  std::string type = string_field(j, "type").value_or("");
  gcp_credential c;
  c.origin = origin;
  if (type == "service_account") {
    c.how = gcp_credential::kind::service_account;
    c.key = {string_field(j, "client_email").value_or(""),
             string_field(j, "private_key").value_or(""),
             string_field(j, "private_key_id").value_or(""),
             string_field(j, "token_uri").value_or(kGoogleTokenUri),
             string_field(j, "project_id").value_or("")};
    if (c.key.client_email.empty() || c.key.private_key.empty())
      return bad("the key has no client_email or private_key");
    auto uri = token_url(c.key.token_uri, "token_uri");
    if (!uri) return bad(uri.err().message);
    return c;
  }
  if (type == "authorized_user") {
    c.how = gcp_credential::kind::authorized_user;
    c.user = {string_field(j, "client_id").value_or(""),
              string_field(j, "client_secret").value_or(""),
              string_field(j, "refresh_token").value_or(""),
              string_field(j, "token_uri").value_or(kGoogleTokenUri)};
    if (c.user.client_id.empty() || c.user.client_secret.empty() || c.user.refresh_token.empty())
      return bad("an authorized_user file needs client_id, client_secret and refresh_token");
    auto uri = token_url(c.user.token_uri, "token_uri");
    if (!uri) return bad(uri.err().message);
    return c;
  }
  return bad("a credential of type '" + type.substr(0, 40) + "' is not supported; use " +
             (nested ? "service_account or authorized_user source credentials"
                     : "a service account key, an authorized_user or "
                       "impersonated_service_account file, or the metadata server"));
}

}  // namespace

result<gcp_credentials_file> parse_gcp_credentials(const json& j, const std::string& origin) {
  gcp_credentials_file file;
  if (j.is_object()) file.quota_project = string_field(j, "quota_project_id").value_or("");
  if (j.is_object() && string_field(j, "type") == "impersonated_service_account") {
    auto bad = [&](const std::string& why) { return fail(errc::config, origin + ": " + why); };
    auto source = j.find("source_credentials");
    if (source == j.end())
      return bad("an impersonated_service_account file needs source_credentials");
    auto inner = source_of(*source, origin + " (source_credentials)", true);
    if (!inner) return inner.err();
    file.source = std::move(*inner);
    gcp_impersonation imp;
    imp.origin = origin;
    auto url = token_url(string_field(j, "service_account_impersonation_url").value_or(""),
                         "service_account_impersonation_url");
    if (!url) return bad(url.err().message);
    if (!url->ends_with(":generateAccessToken"))
      return bad("service_account_impersonation_url must end with :generateAccessToken");
    imp.url = *url;
    if (auto d = j.find("delegates"); d != j.end() && !d->is_null()) {
      if (!d->is_array()) return bad("delegates must be an array of service accounts");
      for (const auto& one : *d) {
        if (!one.is_string()) return bad("delegates must be an array of service accounts");
        std::string name = one.get<std::string>();
        // google-auth accepts a bare email too; IAM wants the resource name.
        imp.delegates.push_back(
            name.starts_with("projects/") ? name : "projects/-/serviceAccounts/" + name);
      }
    }
    file.impersonations.push_back(std::move(imp));
    return file;
  }
  auto source = source_of(j, origin, false);
  if (!source) return source.err();
  file.source = std::move(*source);
  return file;
}

gcp_impersonation gcp_impersonate(const std::string& iam_endpoint, const std::string& email,
                                  const std::string& origin) {
  return {iam_endpoint + "/v1/projects/-/serviceAccounts/" + email + ":generateAccessToken",
          {},
          origin};
}

http_request gcp_refresh_request(const gcp_authorized_user& user) {
  http_request req;
  req.method = "POST";
  req.url = user.token_uri;
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  req.body = form_body({{"grant_type", "refresh_token"},
                        {"client_id", user.client_id},
                        {"client_secret", user.client_secret},
                        {"refresh_token", user.refresh_token}});
  return req;
}

http_request gcp_impersonation_request(const gcp_impersonation& imp,
                                       const std::string& source_token) {
  json body = {{"scope", json::array({kCloudPlatform})}, {"lifetime", "3600s"}};
  if (!imp.delegates.empty()) body["delegates"] = imp.delegates;
  http_request req;
  req.method = "POST";
  req.url = imp.url;
  req.headers = {{"Authorization", "Bearer " + source_token}, {"Content-Type", "application/json"}};
  req.body = request_body(body);
  return req;
}

result<token_answer> parse_impersonation_answer(int status, const std::string& body,
                                                std::chrono::system_clock::time_point now) {
  if (status != 200) {
    auto e = api_error_failure(status, body, "status");
    return fail(e.code, "IAM Credentials generateAccessToken: " + e.message);
  }
  auto j = parse_json(body);
  auto token = j ? string_field(*j, "accessToken") : std::nullopt;
  if (!token || token->empty())
    return fail(errc::unavailable, "IAM Credentials: the answer has no accessToken");
  token_answer out{std::move(*token), std::nullopt};
  if (auto when = parse_expiration(string_field(*j, "expireTime").value_or("")))
    out.lifetime = std::max<std::chrono::system_clock::duration>(*when - now, {});
  return out;
}

}  // namespace mcpl
