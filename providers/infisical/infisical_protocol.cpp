#include "providers/infisical/infisical_protocol.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "platform/http/url.hpp"
#include "providers/http/http_errors.hpp"
#include "providers/settings.hpp"

namespace mcpl {

namespace {

using json = nlohmann::json;

// "/a/b/" → "/a/b"; "" → "/".
std::string clean_path(std::string p) {
  if (p.empty() || p.front() != '/') p.insert(0, "/");
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

std::string infisical_message(const std::string& body) {
  auto j = parse_json(body);
  if (!j) return {};
  return string_field(*j, "message").value_or("");
}

error infisical_failure(int status, const std::string& body) {
  return http_failure(status, infisical_message(body));
}

}  // namespace

result<infisical_settings> parse_infisical_settings(const json& c, const environment& env) {
  if (!c.is_object()) return fail(errc::config, "configuration must be an object");
  infisical_settings s;
  auto site = setting(c, "siteUrl", env);
  if (!site) return site.err();
  if (!site->empty()) s.site_url = *site;
  auto base = check_base_url(s.site_url, "configuration.siteUrl");
  if (!base) return base.err();
  s.site_url = *base;
  for (auto [field, into] :
       {std::pair{"projectId", &s.project_id}, std::pair{"environment", &s.environment}}) {
    auto v = setting(c, field, env);
    if (!v) return v.err();
    if (v->empty())
      return fail(errc::config, std::string("configuration.") + field + " is required");
    *into = *v;
  }
  auto path = setting(c, "secretPath", env);
  if (!path) return path.err();
  s.secret_path = clean_path(*path);
  auto ca = setting(c, "caFile", env);
  if (!ca) return ca.err();
  s.ca_file = *ca;

  bool configured_token = c.contains("accessToken");
  bool configured_client = c.contains("clientId") || c.contains("clientSecret");
  if (configured_token && configured_client)
    return fail(errc::config,
                "configuration has both accessToken and clientId/clientSecret; "
                "choose one");
  if (!configured_client) {
    auto token = setting(c, "accessToken", env, "INFISICAL_TOKEN", &s.consumed_env);
    if (!token) return token.err();
    s.access_token = trim_token(*token);
    if (!s.access_token.empty()) return s;
  }
  auto id = setting(c, "clientId", env, "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID");
  if (!id) return id.err();
  auto secret =
      setting(c, "clientSecret", env, "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", &s.consumed_env);
  if (!secret) return secret.err();
  if (id->empty() || secret->empty())
    return fail(errc::config,
                "no credentials: set configuration.accessToken, or clientId and "
                "clientSecret (universal auth)");
  s.client_id = *id;
  s.client_secret = *secret;
  return s;
}

result<infisical_secret> parse_infisical_identifier(const std::string& identifier,
                                                    const infisical_settings& s) {
  auto split = split_version(identifier);
  if (!split) return split.err();
  infisical_secret out;
  out.version = split->version;
  std::string name = split->name;
  out.path = s.secret_path;
  if (auto slash = name.rfind('/'); slash != std::string::npos) {
    out.path = clean_path(name.substr(0, slash));
    name = name.substr(slash + 1);
  }
  if (name.empty()) return fail(errc::config, "'" + identifier + "': no secret name");
  out.name = name;
  return out;
}

http_request infisical_login_request(const infisical_settings& s) {
  http_request req;
  req.method = "POST";
  req.url = s.site_url + "/api/v1/auth/universal-auth/login";
  req.body = request_body(json{{"clientId", s.client_id}, {"clientSecret", s.client_secret}});
  req.headers.emplace_back("Content-Type", "application/json");
  return req;
}

result<token_answer> parse_infisical_login(int status, const std::string& body) {
  if (status != 200) {
    auto e = infisical_failure(status, body);
    if (status == 400) e.code = errc::refused;  // bad client ID or secret
    return fail(e.code, "universal-auth login: " + e.message);
  }
  auto j = parse_json(body);
  if (auto token = j ? string_field(*j, "accessToken") : std::nullopt; token && !token->empty()) {
    token_answer out{std::move(*token), std::nullopt};
    if (auto ttl = j->find("expiresIn"); ttl != j->end() && ttl->is_number_unsigned())
      out.lifetime = std::chrono::seconds(ttl->get<std::uint64_t>());
    return out;
  }
  return fail(errc::unavailable, "universal-auth login: the answer has no accessToken");
}

http_request infisical_read_request(const infisical_settings& s, const infisical_secret& secret,
                                    const std::string& token) {
  std::vector<std::pair<std::string, std::string>> params{
      {"workspaceId", s.project_id}, {"environment", s.environment}, {"secretPath", secret.path}};
  if (!secret.version.empty()) params.emplace_back("version", secret.version);
  http_request req;
  req.url =
      s.site_url + "/api/v3/secrets/raw/" + percent_encode(secret.name) + query_string(params);
  req.headers.emplace_back("Authorization", "Bearer " + token);
  return req;
}

result<std::string> parse_infisical_read(int status, const std::string& body) {
  if (status != 200) return infisical_failure(status, body);
  auto j = parse_json(body);
  if (j && j->is_object() && j->contains("secret")) {
    if (auto v = string_field((*j)["secret"], "secretValue")) return *v;
  }
  return fail(errc::unavailable, "the answer has no secret.secretValue");
}

http_request infisical_list_request(const infisical_settings& s, const std::string& path,
                                    const std::string& token) {
  http_request req;
  req.url =
      s.site_url + "/api/v3/secrets/raw" +
      query_string(
          {{"workspaceId", s.project_id}, {"environment", s.environment}, {"secretPath", path}});
  req.headers.emplace_back("Authorization", "Bearer " + token);
  return req;
}

result<std::map<std::string, std::string>> parse_infisical_list(int status,
                                                                const std::string& body) {
  if (status != 200) return infisical_failure(status, body);
  auto j = parse_json(body);
  if (!j || !j->is_object() || !j->contains("secrets") || !(*j)["secrets"].is_array())
    return fail(errc::unavailable, "the answer has no secrets list");
  std::map<std::string, std::string> out;
  for (const auto& item : (*j)["secrets"]) {
    auto key = string_field(item, "secretKey");
    auto value = string_field(item, "secretValue");
    auto type = string_field(item, "type").value_or("shared");
    if (key && value && type == "shared") out[*key] = *value;  // as a single read returns
  }
  return out;
}

}  // namespace mcpl
