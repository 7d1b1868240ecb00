#include "providers/vault/vault_protocol.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "platform/http/url.hpp"
#include "providers/http/http_errors.hpp"
#include "providers/settings.hpp"

namespace mcpl {

namespace {

using json = nlohmann::json;

std::string trim_slashes(std::string s) {
  while (!s.empty() && s.front() == '/') s.erase(0, 1);
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

result<void> read_auth(const json& auth, vault_settings& s) {
  if (!auth.is_object()) return fail(errc::config, "configuration.auth must be an object");
  auto method = string_field(auth, "method");
  auto need = [&](const char* key, std::string& into) -> result<void> {
    auto v = string_field(auth, key);
    if (!v || v->empty())
      return fail(errc::config, "configuration.auth." + std::string(key) + " is required for " +
                                    "the " + *method + " method");
    into = *v;
    return {};
  };
  if (method == "approle") {
    s.auth = vault_settings::method::approle;
    if (auto r = need("roleId", s.role_id); !r) return r;
    if (auto r = need("secretId", s.secret_id); !r) return r;
  } else if (method == "kubernetes") {
    s.auth = vault_settings::method::kubernetes;
    if (auto r = need("role", s.role); !r) return r;
    s.jwt_file = string_field(auth, "jwtFile")
                     .value_or("/var/run/secrets/kubernetes.io/serviceaccount/token");
  } else {
    return fail(errc::config, "configuration.auth.method must be \"approle\" or \"kubernetes\"");
  }
  s.auth_mount = trim_slashes(string_field(auth, "mountPath").value_or(*method));
  if (s.auth_mount.empty()) return fail(errc::config, "configuration.auth.mountPath is empty");
  if (auto why = path_problem(s.auth_mount))
    return fail(errc::config, "configuration.auth.mountPath: " + *why);
  return {};
}

}  // namespace

result<vault_settings> parse_vault_settings(const json& c, const environment& env) {
  if (!c.is_object()) return fail(errc::config, "configuration must be an object");
  vault_settings s;
  auto address = setting(c, "address", env, "VAULT_ADDR");
  if (!address) return address.err();
  if (address->empty())
    return fail(errc::config, "configuration.address is required (or set VAULT_ADDR)");
  auto base = check_base_url(*address, "configuration.address");
  if (!base) return base.err();
  s.address = *base;
  auto ns = setting(c, "namespace", env, "VAULT_NAMESPACE");
  if (!ns) return ns.err();
  s.ns = trim_slashes(*ns);
  auto mount = setting(c, "mountPath", env);
  if (!mount) return mount.err();
  if (!mount->empty()) s.mount = trim_slashes(*mount);
  if (s.mount.empty()) return fail(errc::config, "configuration.mountPath is empty");
  if (auto why = path_problem(s.mount))
    return fail(errc::config, "configuration.mountPath: " + *why);
  auto ca = setting(c, "caFile", env, "VAULT_CACERT");
  if (!ca) return ca.err();
  s.ca_file = *ca;

  if (auto auth = c.find("auth"); auth != c.end()) {
    if (c.contains("token"))
      return fail(errc::config, "configuration has both token and auth; choose one");
    if (auto r = read_auth(*auth, s); !r) return r.err();
    return s;
  }
  auto token = setting(c, "token", env, "VAULT_TOKEN", &s.consumed_env);
  if (!token) return token.err();
  s.token = trim_token(*token);
  if (s.token.empty()) {
    auto home = env.find("HOME");
    if (home == env.end() || home->second.empty())
      return fail(errc::config, "no Vault token: set configuration.token or VAULT_TOKEN, or " +
                                    std::string("configure auth"));
    s.token_file = home->second + "/.vault-token";
  }
  return s;
}

result<kv2_secret> parse_kv2_identifier(const std::string& identifier) {
  auto split = split_version(identifier);
  if (!split) return split.err();
  kv2_secret out;
  out.version = split->version;
  out.path = trim_slashes(split->name);
  if (out.path.empty()) return fail(errc::config, "'" + identifier + "': no secret path");
  if (out.path.find("//") != std::string::npos || path_problem(out.path))
    return fail(errc::config, "'" + identifier + "': not a clean secret path");
  return out;
}

http_request kv2_read_request(const vault_settings& s, const kv2_secret& secret,
                              const std::string& token) {
  http_request req;
  req.url = s.address + "/v1/" + percent_encode(s.mount, true) + "/data/" +
            percent_encode(secret.path, true);
  if (!secret.version.empty()) req.url += "?version=" + secret.version;
  req.headers.emplace_back("X-Vault-Token", token);
  req.headers.emplace_back("X-Vault-Request", "true");
  if (!s.ns.empty()) req.headers.emplace_back("X-Vault-Namespace", s.ns);
  return req;
}

namespace {

// Vault's {"errors": [...]} joined, or "" when the body has none.
std::string vault_errors(const std::string& body) {
  auto j = parse_json(body);
  std::string out;
  if (!j || !j->is_object() || !j->contains("errors") || !(*j)["errors"].is_array()) return out;
  for (const auto& e : (*j)["errors"]) {
    if (!e.is_string()) continue;
    if (!out.empty()) out += "; ";
    out += e.get<std::string>();
  }
  return out;
}

}  // namespace

result<std::string> parse_kv2_response(int status, const std::string& body, const vault_settings& s,
                                       const kv2_secret& secret) {
  if (status == 404) {
    std::string what = s.mount + "/" + secret.path;
    if (!secret.version.empty()) what += " version " + secret.version;
    return fail(errc::not_found, "secret not found: " + what);
  }
  if (status != 200) return http_failure(status, vault_errors(body));
  auto j = parse_json(body);
  if (!j || !j->is_object() || !j->contains("data") || !(*j)["data"].is_object())
    return fail(errc::unavailable,
                "the answer is not a KV v2 secret (is " + s.mount + " a KV version 2 mount?)");
  const auto& data = (*j)["data"];
  if (!data.contains("metadata"))  // a KV version 1 mount answers with the map itself
    return fail(errc::config, "the answer is not a KV version 2 secret: is '" + s.mount +
                                  "' a KV v2 mount? (mountPath)");
  if (!data.contains("data") || !data["data"].is_object())
    return fail(errc::not_found, "secret not found: " + s.mount + "/" + secret.path +
                                     " (the version was deleted or destroyed)");
  return data["data"].dump();
}

result<std::string> kv2_single_value(const std::string& map_json) {
  auto j = parse_json(map_json);
  if (!j || !j->is_object()) return map_json;
  if (j->size() == 1) {
    const auto& v = j->begin().value();
    return v.is_string() ? v.get<std::string>() : v.dump();
  }
  if (j->empty()) return fail(errc::content, "the secret has no keys");
  std::string keys;
  for (const auto& [key, v] : j->items()) keys += (keys.empty() ? "" : ", ") + key;
  return fail(errc::content, "the secret has " + std::to_string(j->size()) + " keys (" + keys +
                                 "); choose one with #KEY");
}

http_request vault_login_request(const vault_settings& s, const std::string& jwt) {
  http_request req;
  req.method = "POST";
  req.url = s.address + "/v1/auth/" + percent_encode(s.auth_mount, true) + "/login";
  json body = s.auth == vault_settings::method::approle
                  ? json{{"role_id", s.role_id}, {"secret_id", s.secret_id}}
                  : json{{"role", s.role}, {"jwt", jwt}};
  req.body = request_body(body);
  req.headers.emplace_back("Content-Type", "application/json");
  req.headers.emplace_back("X-Vault-Request", "true");
  if (!s.ns.empty()) req.headers.emplace_back("X-Vault-Namespace", s.ns);
  return req;
}

result<token_answer> parse_vault_login(int status, const std::string& body) {
  if (status != 200) {
    auto e = http_failure(status, vault_errors(body));
    // A login Vault rejects as a bad request (wrong role, bad secret ID) is a refusal.
    if (status == 400) e.code = errc::refused;
    return fail(e.code, "login: " + e.message);
  }
  auto j = parse_json(body);
  if (j && j->is_object() && j->contains("auth")) {
    const auto& auth = (*j)["auth"];
    if (auto token = string_field(auth, "client_token"); token && !token->empty()) {
      token_answer out{std::move(*token), std::nullopt};
      // The token's TTL; 0 for one that never expires (a root token).
      if (auto ttl = auth.find("lease_duration");
          ttl != auth.end() && ttl->is_number_unsigned() && ttl->get<std::uint64_t>() > 0)
        out.lifetime = std::chrono::seconds(ttl->get<std::uint64_t>());
      return out;
    }
  }
  return fail(errc::unavailable, "login: the answer has no auth.client_token");
}

}  // namespace mcpl
