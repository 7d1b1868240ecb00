// GCP's and Azure's pure parts: settings and credential choice, identifiers, answers and
// errors, token requests; and the primitives they use (RS256, base64url, CRC32C).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "core/quoted.hpp"
#include "platform/crypto.hpp"
#include "providers/azure/azure_protocol.hpp"
#include "providers/gcp/gcp_protocol.hpp"
#include "providers/http/oauth.hpp"
#include "tests/support/form.hpp"

namespace mcpl {
namespace {

using json = nlohmann::json;

// A fresh RSA key as PEM, and a check of an RS256 signature with its public half.
struct rsa_key {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{EVP_RSA_gen(2048), EVP_PKEY_free};
  std::string pem() const {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, n);
  }
  bool verifies(const std::string& data, const std::string& signature) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get());
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                            data.size()) == 1;
  }
};

TEST(Crypto, Rs256Base64urlCrc32c) {
  rsa_key k;
  auto sig = rs256_sign(k.pem(), "header.claims");
  ASSERT_TRUE(sig) << sig.err().message;
  EXPECT_TRUE(k.verifies("header.claims", *sig));
  EXPECT_FALSE(k.verifies("header.claimz", *sig));
  auto garbage = rs256_sign("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n", "x");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.err().code, errc::config);
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff\xbf", 3)), "-_-_");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(crc32c("123456789"), 0xe3069283u);  // the CRC-32C check value
  EXPECT_EQ(crc32c(""), 0u);
}

json service_account(const std::string& pem) {
  return {{"type", "service_account"},
          {"project_id", "proj-1"},
          {"private_key_id", "kid-1"},
          {"private_key", pem},
          {"client_email", "mcp@proj-1.iam.gserviceaccount.com"},
          {"token_uri", "https://oauth2.googleapis.com/token"}};
}

TEST(GcpSettings, KeysAndMetadata) {
  rsa_key k;
  auto key = service_account(k.pem());
  auto configured = parse_gcp_settings(json{{"serviceAccountKey", key.dump()}}, {}, {});
  ASSERT_TRUE(configured) << configured.err().message;
  EXPECT_EQ(configured->source.how, gcp_credential::kind::service_account);
  EXPECT_EQ(configured->project_id, "proj-1") << "the key's project";
  EXPECT_EQ(configured->endpoint, "https://secretmanager.googleapis.com");
  environment gac = {{"GOOGLE_APPLICATION_CREDENTIALS", "/k.json"}};
  auto from_file = parse_gcp_settings(json{{"projectId", "other"}}, gac,
                                      {"/k.json", "GOOGLE_APPLICATION_CREDENTIALS", key.dump()});
  EXPECT_EQ(from_file->source.origin, "/k.json (GOOGLE_APPLICATION_CREDENTIALS)");
  EXPECT_EQ(from_file->project_id, "other");
  EXPECT_EQ(from_file->consumed_env, std::vector<std::string>{"GOOGLE_APPLICATION_CREDENTIALS"});
  auto metadata = parse_gcp_settings(json::object(), {{"GCE_METADATA_HOST", "10.0.0.5:8080"}}, {});
  EXPECT_EQ(metadata->source.how, gcp_credential::kind::metadata);
  EXPECT_EQ(metadata->metadata_url, "http://10.0.0.5:8080");
  // By address, as Google's libraries do: a name could be answered by the network's DNS.
  EXPECT_EQ(parse_gcp_settings(json::object(), {}, {})->metadata_url, "http://169.254.169.254");
  for (const json& bad : {json{{"serviceAccountKey", "not json"}},
                          json{{"serviceAccountKey", {{"type", "external_account"}}}},
                          json{{"serviceAccountKey", {{"type", "service_account"}}}},
                          json{{"endpoint", "http://secretmanager.example.com"}}}) {
    auto r = parse_gcp_settings(bad, {}, {});
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.err().code, errc::config);
  }
}

TEST(GcpProtocol, IdentifiersRequestsAnswers) {
  auto full = parse_gcp_identifier("projects/p-1/secrets/db/versions/3");
  EXPECT_EQ(full->project, "p-1");
  EXPECT_EQ(full->version, "3");
  EXPECT_EQ(parse_gcp_identifier("projects/p/secrets/db")->version, "latest");
  EXPECT_TRUE(parse_gcp_identifier("db")->project.empty());
  for (const char* bad : {"", "a/b", "projects/p/secrets", "projects/p/keys/db", "db/versions/1",
                          "projects/p/secrets/db/versions/", "d b"})
    EXPECT_FALSE(parse_gcp_identifier(bad)) << bad;
  gcp_settings s;
  s.endpoint = "https://secretmanager.googleapis.com";
  EXPECT_EQ(gcp_access_request(s, *full, "p-1", "tok").url,
            "https://secretmanager.googleapis.com/v1/projects/p-1/secrets/db/versions/3:access");

  EXPECT_EQ(
      *parse_gcp_access(200, R"({"payload":{"data":"MTIzNDU2Nzg5","dataCrc32c":"3808858755"}})"),
      "123456789");
  EXPECT_EQ(
      parse_gcp_access(200, R"({"payload":{"data":"MTIzNDU2Nzg5","dataCrc32c":"1"}})").err().code,
      errc::unavailable);
  EXPECT_EQ(*parse_gcp_access(200, R"({"payload":{"data":"AP8="}})"), std::string("\0\xff", 2));
  auto denied = parse_gcp_access(
      403, R"({"error":{"code":403,"message":"Permission denied","status":"PERMISSION_DENIED"}})");
  EXPECT_EQ(denied.err().code, errc::refused);
  EXPECT_EQ(shape_line(denied.err().message), "HTTP 403: PERMISSION_DENIED: Permission denied");
  EXPECT_EQ(parse_gcp_access(404, "{}").err().code, errc::not_found);
}

TEST(GcpProtocol, TheJwtBearerAssertion) {
  rsa_key k;
  gcp_service_account key{"mcp@p.iam.gserviceaccount.com", k.pem(), "kid-1",
                          "https://oauth2.googleapis.com/token", "p"};
  auto jwt = gcp_assertion(key, std::chrono::system_clock::from_time_t(1764410400));
  ASSERT_TRUE(jwt) << jwt.err().message;
  auto first = jwt->find('.'), second = jwt->rfind('.');
  auto decode = [](std::string part) {
    for (auto& c : part) c = c == '-' ? '+' : c == '_' ? '/' : c;
    return json::parse(*base64_decode(part));
  };
  auto header = decode(jwt->substr(0, first));
  auto claims = decode(jwt->substr(first + 1, second - first - 1));
  EXPECT_EQ(header, (json{{"alg", "RS256"}, {"kid", "kid-1"}, {"typ", "JWT"}}));
  EXPECT_EQ(claims["iss"], "mcp@p.iam.gserviceaccount.com");
  EXPECT_EQ(claims["aud"], "https://oauth2.googleapis.com/token");
  EXPECT_EQ(claims["scope"], "https://www.googleapis.com/auth/cloud-platform");
  EXPECT_EQ(claims["exp"].get<long>() - claims["iat"].get<long>(), 3600);
  std::string signature = jwt->substr(second + 1);
  for (auto& c : signature) c = c == '-' ? '+' : c == '_' ? '/' : c;
  EXPECT_TRUE(k.verifies(jwt->substr(0, second), *base64_decode(signature)));
  auto req = gcp_token_request(key, *jwt);
  EXPECT_EQ(req.url, "https://oauth2.googleapis.com/token");
  EXPECT_EQ(req.body.rfind(
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=", 0),
            0u);
}

TEST(OAuth, TokenAnswersAndErrors) {
  EXPECT_EQ(*parse_access_token(200, R"({"access_token":"t","expires_in":"3599"})", "x"), "t");
  EXPECT_EQ(parse_token_answer(200, R"({"access_token":"t","expires_in":"3599"})", "x")->lifetime,
            std::chrono::seconds(3599));
  EXPECT_EQ(parse_token_answer(200, R"({"access_token":"t","expires_in":2})", "x")->lifetime,
            std::chrono::seconds(2));
  EXPECT_FALSE(parse_token_answer(200, R"({"access_token":"t","expires_in":"2x"})", "x")->lifetime);
  EXPECT_FALSE(parse_token_answer(200, R"({"access_token":"t"})", "x")->lifetime);
  EXPECT_EQ(parse_access_token(200, R"({"token_type":"Bearer"})", "x").err().code,
            errc::unavailable);
  auto aad = parse_access_token(
      400,
      R"({"error":"invalid_request","error_description":"AADSTS90002: Tenant 'x' not found."})",
      "Microsoft Entra ID");
  EXPECT_EQ(aad.err().code, errc::refused);
  EXPECT_EQ(shape_line(aad.err().message),
            "Microsoft Entra ID: HTTP 400: invalid_request: AADSTS90002: Tenant 'x' not found.");
  EXPECT_EQ(parse_access_token(400, R"({"error":"invalid_grant"})", "g").err().code, errc::refused);
  EXPECT_EQ(parse_access_token(400, R"({"error":"invalid_scope"})", "g").err().code, errc::config);
  EXPECT_EQ(parse_access_token(503, "", "g").err().code, errc::unavailable);
}

TEST(AzureSettings, CredentialChoiceAndClouds) {
  json vault = {{"vaultUrl", "https://mcp.vault.azure.net/"}};
  environment env = {{"AZURE_TENANT_ID", "t-1"},
                     {"AZURE_CLIENT_ID", "c-1"},
                     {"AZURE_CLIENT_SECRET", "s"},
                     {"AZURE_FEDERATED_TOKEN_FILE", "/t"}};
  auto secret = parse_azure_settings(vault, env);
  ASSERT_TRUE(secret) << secret.err().message;
  EXPECT_EQ(secret->how, azure_settings::kind::client_secret);
  EXPECT_EQ(secret->vault_url, "https://mcp.vault.azure.net");
  EXPECT_EQ(secret->authority_host, "https://login.microsoftonline.com");
  EXPECT_EQ(secret->consumed_env, std::vector<std::string>{"AZURE_CLIENT_SECRET"});
  env.erase("AZURE_CLIENT_SECRET");
  EXPECT_EQ(parse_azure_settings(vault, env)->how, azure_settings::kind::workload_identity);
  auto app = parse_azure_settings(
      vault, {{"IDENTITY_ENDPOINT", "http://localhost:42356/msi/token"}, {"IDENTITY_HEADER", "h"}});
  EXPECT_EQ(app->how, azure_settings::kind::app_service);
  EXPECT_EQ(app->consumed_env, std::vector<std::string>{"IDENTITY_HEADER"});
  auto vm = parse_azure_settings(vault, {{"AZURE_CLIENT_ID", "user-assigned"}});
  EXPECT_EQ(vm->how, azure_settings::kind::instance_metadata);
  EXPECT_EQ(managed_identity_request(*vm).url,
            "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01"
            "&resource=https%3A%2F%2Fvault.azure.net&client_id=user-assigned");
  EXPECT_EQ(managed_identity_request(*vm).headers, (http_headers{{"Metadata", "true"}}));

  EXPECT_EQ(key_vault_resource("mcp.vault.azure.net"), "https://vault.azure.net");
  EXPECT_EQ(key_vault_resource("mcp.vault.azure.cn"), "https://vault.azure.cn");
  EXPECT_EQ(key_vault_resource("mcp.vault.usgovcloudapi.net"), "https://vault.usgovcloudapi.net");
  EXPECT_EQ(key_vault_resource("evilvault.azure.cn.example.com"), "https://vault.azure.net");
  EXPECT_FALSE(parse_azure_settings(json::object(), {}));
  EXPECT_FALSE(parse_azure_settings(
      json{{"vaultUrl", "https://v.vault.azure.net"}, {"clientSecret", "s"}}, {}));
  EXPECT_FALSE(parse_azure_settings(json{{"vaultUrl", "https://v.vault.azure.net"},
                                         {"clientSecret", "s"},
                                         {"clientId", "c"},
                                         {"tenantId", "a/b"}},
                                    {}));
}

TEST(AzureSettings, AKeyVaultTokenGoesOnlyToAKeyVaultHostUnlessTrusted) {
  auto with = [](const char* url, json extra = json::object()) {
    json c = {{"vaultUrl", url}, {"tenantId", "t"}, {"clientId", "c"}, {"clientSecret", "s"}};
    c.update(extra);
    return parse_azure_settings(c, {});
  };
  for (const char* ok :
       {"https://mcp.vault.azure.net", "https://MCP.Vault.Azure.Net", "https://x.vault.azure.cn",
        "https://x.vault.usgovcloudapi.net", "https://x.vault.microsoftazure.de",
        "https://x.managedhsm.azure.net", "https://127.0.0.1:8443", "https://localhost:1"})
    EXPECT_TRUE(with(ok).ok()) << ok;
  for (const char* refused : {"https://attacker.example", "https://vault.azure.net.example.com",
                              "https://evilvault.azure.net", "https://10.0.0.4"}) {
    auto r = with(refused);
    ASSERT_FALSE(r.ok()) << refused;
    EXPECT_EQ(r.err().code, errc::config);
    EXPECT_NE(r.err().message.find("trustVaultHost"), std::string::npos) << r.err().message;
  }
  EXPECT_TRUE(with("https://kv.corp.example", {{"trustVaultHost", true}}).ok());
  EXPECT_FALSE(with("https://kv.corp.example", {{"trustVaultHost", false}}).ok());
  EXPECT_FALSE(with("https://kv.corp.example", {{"trustVaultHost", "yes"}}).ok());
}

TEST(AzureProtocol, IdentifiersRequestsAnswers) {
  EXPECT_EQ(parse_azure_identifier("db-password")->name, "db-password");
  EXPECT_EQ(parse_azure_identifier("db/0123abcd")->version, "0123abcd");
  for (const char* bad : {"", "a_b", "a/b/c", "a/", "/v", "x?y"})
    EXPECT_FALSE(parse_azure_identifier(bad)) << bad;
  azure_settings s = *parse_azure_settings(json{{"vaultUrl", "https://mcp.vault.azure.cn"},
                                                {"tenantId", "t"},
                                                {"clientId", "c"},
                                                {"clientSecret", "s&s"}},
                                           {});
  EXPECT_EQ(azure_secret_request(s, {"db", "v1"}, "tok").url,
            "https://mcp.vault.azure.cn/secrets/db/v1?api-version=7.4");
  // Each part is one percent-encoded path segment, whatever a caller hands in.
  EXPECT_EQ(azure_secret_request(s, {"a/b", "c?d"}, "tok").url,
            "https://mcp.vault.azure.cn/secrets/a%2Fb/c%3Fd?api-version=7.4");
  for (const char* tenant : {"..", ".", "t\r\nx", "t/x"}) {
    auto bad = parse_azure_settings(json{{"vaultUrl", "https://mcp.vault.azure.cn"},
                                         {"tenantId", tenant},
                                         {"clientId", "c"},
                                         {"clientSecret", "s"}},
                                    {});
    EXPECT_FALSE(bad.ok()) << tenant;
  }
  auto token = entra_token_request(s, "");
  EXPECT_EQ(token.url, "https://login.microsoftonline.com/t/oauth2/v2.0/token");
  EXPECT_EQ(test::form_fields(token.body),
            (std::map<std::string, std::string>{{"grant_type", "client_credentials"},
                                                {"client_id", "c"},
                                                {"scope", "https://vault.azure.cn/.default"},
                                                {"client_secret", "s&s"}}));
  EXPECT_EQ(*parse_azure_secret(200, R"({"value":"v","id":"x"})"), "v");
  auto missing = parse_azure_secret(404, R"({"error":{"code":"SecretNotFound","message":"gone"}})");
  EXPECT_EQ(missing.err().code, errc::not_found);
  EXPECT_EQ(shape_line(missing.err().message), "HTTP 404: SecretNotFound: gone");
  EXPECT_EQ(parse_azure_secret(403, "{}").err().code, errc::refused);
}

}  // namespace
}  // namespace mcpl
