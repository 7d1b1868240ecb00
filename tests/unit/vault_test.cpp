// Vault's wire protocol as pure functions, with answers shaped as Vault sends them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/quoted.hpp"
#include "providers/vault/vault_protocol.hpp"
#include "tests/support/form.hpp"

namespace mcpl {
namespace {

using json = nlohmann::json;

const char* kv2_answer = R"({
  "request_id": "8c7b0c3f-1d0e-4c32-9d5e-1a2b3c4d5e6f", "lease_id": "", "renewable": false,
  "lease_duration": 0,
  "data": {"data": {"token": "ghp_abc", "port": 5432},
           "metadata": {"created_time": "2026-11-01T10:00:00.0Z", "custom_metadata": null,
                        "deletion_time": "", "destroyed": false, "version": 3}},
  "wrap_info": null, "warnings": null, "auth": null, "mount_type": "kv"})";

const char* deleted_answer = R"({"data": {"data": null, "metadata": {"created_time":
  "2026-11-01T10:00:00.0Z", "custom_metadata": null, "deletion_time": "2026-11-02T10:00:00.0Z",
  "destroyed": false, "version": 2}}})";

const char* login_answer = R"({"request_id": "r", "lease_id": "", "renewable": false,
  "lease_duration": 0, "data": null, "wrap_info": null, "warnings": null,
  "auth": {"client_token": "hvs.CAESIJ", "accessor": "a", "policies": ["default", "mcp"],
           "token_policies": ["default", "mcp"], "metadata": {"role_name": "mcp"},
           "lease_duration": 2764800, "renewable": true, "entity_id": "e",
           "token_type": "service", "orphan": true}})";

vault_settings settings() {
  environment env = {{"VAULT_TOKEN", "hvs.env"}};
  return *parse_vault_settings(json{{"address", "https://vault.example.com:8200/"}}, env);
}

TEST(VaultSettings, DefaultsAndEnvironment) {
  environment env = {{"VAULT_ADDR", "https://v.example.com"},
                     {"VAULT_NAMESPACE", "/team-a/"},
                     {"VAULT_CACERT", "/etc/ca.pem"},
                     {"VAULT_TOKEN", "hvs.env"},
                     {"HOME", "/h"}};
  auto s = parse_vault_settings(json::object(), env);
  ASSERT_TRUE(s.ok()) << s.err().message;
  EXPECT_EQ(s->address, "https://v.example.com");
  EXPECT_EQ(s->ns, "team-a");
  EXPECT_EQ(s->mount, "secret");
  EXPECT_EQ(s->ca_file, "/etc/ca.pem");
  EXPECT_EQ(s->token, "hvs.env");
  EXPECT_EQ(s->consumed_env, std::vector<std::string>{"VAULT_TOKEN"});

  auto configured = parse_vault_settings(
      json{{"address", "https://x.example.com"}, {"token", "hvs.conf"}, {"mountPath", "/kv/"}},
      env);
  EXPECT_EQ(configured->token, "hvs.conf");
  auto from_file = parse_vault_settings(json{{"address", "https://x"}, {"token", "hvs.f\r\n"}}, {});
  EXPECT_EQ(from_file->token, "hvs.f") << "a token read from a file loses its line break";
  EXPECT_EQ(configured->mount, "kv");
  EXPECT_TRUE(configured->consumed_env.empty()) << "VAULT_TOKEN was not used";

  auto file = parse_vault_settings(json{{"address", "https://x.example.com"}}, {{"HOME", "/h"}});
  EXPECT_EQ(file->token, "");
  EXPECT_EQ(file->token_file, "/h/.vault-token");
}

TEST(VaultSettings, AuthMethods) {
  auto approle = parse_vault_settings(
      json{{"address", "https://v"},
           {"auth", {{"method", "approle"}, {"roleId", "r"}, {"secretId", "s"}}}},
      {{"VAULT_TOKEN", "ignored"}});
  ASSERT_TRUE(approle.ok());
  EXPECT_EQ(approle->auth, vault_settings::method::approle);
  EXPECT_EQ(approle->auth_mount, "approle");
  EXPECT_TRUE(approle->consumed_env.empty());
  auto k8s = parse_vault_settings(
      json{{"address", "https://v"},
           {"auth", {{"method", "kubernetes"}, {"role", "mcp"}, {"mountPath", "k8s-prod"}}}},
      {});
  ASSERT_TRUE(k8s.ok());
  EXPECT_EQ(k8s->jwt_file, "/var/run/secrets/kubernetes.io/serviceaccount/token");
  EXPECT_EQ(k8s->auth_mount, "k8s-prod");
}

TEST(VaultSettings, Errors) {
  struct row {
    json conf;
    const char* message;
  };
  for (const row& r : std::initializer_list<row>{
           {json::object(), "configuration.address is required (or set VAULT_ADDR)"},
           {json{{"address", 5}}, "configuration.address must be a non-empty string"},
           {json{{"address", "https://v"}, {"token", ""}},
            "configuration.token must be a non-empty string"},
           {json{{"address", "https://v"}},
            "no Vault token: set configuration.token or VAULT_TOKEN, or configure auth"},
           {json{{"address", "https://v"}, {"auth", "approle"}},
            "configuration.auth must be an object"},
           {json{{"address", "https://v"}, {"auth", {{"method", "kubernetes"}}}},
            "configuration.auth.role is required for the kubernetes method"},
       }) {
    auto s = parse_vault_settings(r.conf, {});
    ASSERT_FALSE(s.ok()) << r.conf.dump();
    EXPECT_EQ(s.err().code, errc::config);
    EXPECT_EQ(shape_line(s.err().message), r.message);
  }
}

TEST(VaultProtocol, Identifiers) {
  auto plain = parse_kv2_identifier("/mcp/github/");
  EXPECT_EQ(plain->path, "mcp/github");
  EXPECT_EQ(plain->version, "");
  EXPECT_EQ(parse_kv2_identifier("mcp/github?version=12")->version, "12");
  for (const char* bad : {"", "/", "a?version=", "a?version=x", "a?v=1", "a//b", "../a", "a/../b",
                          "a/..", "./a", "a/./b", "a/.", "..", "a\r\nb"})
    EXPECT_FALSE(parse_kv2_identifier(bad).ok()) << bad;
  EXPECT_TRUE(parse_kv2_identifier("a/.hidden/b..c").ok());
}

TEST(VaultProtocol, ReadRequest) {
  auto s = settings();
  s.ns = "team-a";
  auto req = kv2_read_request(s, {"apps/my app", "4"}, "hvs.tok");
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.url.substr(0, req.url.find('?')),
            "https://vault.example.com:8200/v1/secret/data/apps/my%20app");
  EXPECT_EQ(test::query_fields(req.url), (std::map<std::string, std::string>{{"version", "4"}}));
  EXPECT_EQ(req.body, "");
  EXPECT_EQ(req.headers, (http_headers{{"X-Vault-Token", "hvs.tok"},
                                       {"X-Vault-Request", "true"},
                                       {"X-Vault-Namespace", "team-a"}}));
}

TEST(VaultProtocol, ReadAnswers) {
  auto s = settings();
  kv2_secret secret{"mcp/github", ""};
  auto ok = parse_kv2_response(200, kv2_answer, s, secret);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(json::parse(*ok), json::parse(R"({"token": "ghp_abc", "port": 5432})"));

  auto missing = parse_kv2_response(404, R"({"errors":[]})", s, {"mcp/x", "7"});
  EXPECT_EQ(missing.err().code, errc::not_found);
  EXPECT_EQ(shape_line(missing.err().message), "secret not found: secret/mcp/x version 7");
  auto deleted = parse_kv2_response(404, deleted_answer, s, secret);
  EXPECT_EQ(deleted.err().code, errc::not_found);

  auto denied = parse_kv2_response(403, R"({"errors":["permission denied"]})", s, secret);
  EXPECT_EQ(denied.err().code, errc::refused);
  EXPECT_EQ(shape_line(denied.err().message), "HTTP 403: permission denied");
  auto sealed = parse_kv2_response(503, R"({"errors":["Vault is sealed"]})", s, secret);
  EXPECT_EQ(sealed.err().code, errc::unavailable);
  EXPECT_EQ(shape_line(sealed.err().message), "HTTP 503: Vault is sealed");
  auto html = parse_kv2_response(502, "<html>Bad gateway</html>", s, secret);
  EXPECT_EQ(shape_line(html.err().message), "HTTP 502");
  auto kv1 =
      parse_kv2_response(200, R"({"data": {"token": "x"}, "lease_duration": 2764800})", s, secret);
  EXPECT_EQ(kv1.err().code, errc::config);
  EXPECT_EQ(shape_line(kv1.err().message),
            "the answer is not a KV version 2 secret: is 'secret' a KV v2 mount? (mountPath)");
  auto destroyed = parse_kv2_response(
      200, R"({"data": {"data": null, "metadata": {"destroyed": true, "version": 1}}})", s, secret);
  EXPECT_EQ(destroyed.err().code, errc::not_found);
  auto junk = parse_kv2_response(200, "not json", s, secret);
  EXPECT_EQ(junk.err().code, errc::unavailable);
}

TEST(VaultProtocol, SingleValueRule) {
  EXPECT_EQ(*kv2_single_value(R"({"token":"ghp"})"), "ghp");
  EXPECT_EQ(*kv2_single_value(R"({"port":5432})"), "5432");
  EXPECT_EQ(*kv2_single_value(R"({"nested":{"a":1}})"), R"({"a":1})");
  auto several = kv2_single_value(R"({"user":"u","password":"hunter2"})");
  ASSERT_FALSE(several.ok());
  EXPECT_EQ(several.err().code, errc::content);
  EXPECT_EQ(shape_line(several.err().message),
            "the secret has 2 keys (password, user); choose one with #KEY");
  EXPECT_EQ(kv2_single_value("{}").err().code, errc::content);
}

TEST(VaultProtocol, Login) {
  auto s = *parse_vault_settings(
      json{{"address", "https://v.example.com"},
           {"namespace", "ns1"},
           {"auth",
            {{"method", "approle"}, {"roleId", "rid"}, {"secretId", "sid"}, {"mountPath", "ar"}}}},
      {});
  auto req = vault_login_request(s, "");
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "https://v.example.com/v1/auth/ar/login");
  EXPECT_EQ(json::parse(req.body), json::parse(R"({"role_id":"rid","secret_id":"sid"})"));
  EXPECT_NE(std::find(req.headers.begin(), req.headers.end(),
                      std::pair<std::string, std::string>{"X-Vault-Namespace", "ns1"}),
            req.headers.end());
  s.auth = vault_settings::method::kubernetes;
  s.role = "mcp";
  EXPECT_EQ(json::parse(vault_login_request(s, "eyJ").body),
            json::parse(R"({"role":"mcp","jwt":"eyJ"})"));

  auto login = parse_vault_login(200, login_answer);
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->value, "hvs.CAESIJ");
  EXPECT_EQ(login->lifetime,
            std::chrono::seconds(2764800));  // the token's TTL, auth.lease_duration
  // A token that never expires (lease_duration 0) is never renewed.
  EXPECT_FALSE(
      parse_vault_login(200, R"({"auth": {"client_token": "hvs.root", "lease_duration": 0}})")
          ->lifetime);
  auto bad = parse_vault_login(400, R"({"errors":["invalid role or secret ID"]})");
  EXPECT_EQ(bad.err().code, errc::refused);
  EXPECT_EQ(shape_line(bad.err().message), "login: HTTP 400: invalid role or secret ID");
  EXPECT_EQ(parse_vault_login(200, R"({"auth": null})").err().code, errc::unavailable);
}

}  // namespace
}  // namespace mcpl
