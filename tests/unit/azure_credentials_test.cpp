// Azure's certificate credential and CLI login as pure parts: DefaultAzureCredential's order,
// the certificate read from PEM (plain or encrypted) and PKCS#12, the PS256 client assertion
// (verified here with the certificate's public key, as Entra ID verifies it), and what the
// CLI's output means.
#include "providers/azure/azure_credentials.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sys/wait.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "platform/crypto.hpp"
#include "tests/support/form.hpp"

namespace mcpl {
namespace {

using json = nlohmann::json;
using az_kind = azure_settings::kind;

// A self-signed RSA certificate and its key, and the files a user would have of them.
struct test_certificate {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{EVP_RSA_gen(2048), EVP_PKEY_free};
  std::unique_ptr<X509, decltype(&X509_free)> cert{X509_new(), X509_free};
  test_certificate() {
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 7);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("mcp-launch"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    X509_sign(cert.get(), key.get(), EVP_sha256());
  }
  static std::string drain(BIO* bio) {
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    return out;
  }
  std::string pem(const char* password = nullptr) const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert.get());
    if (password)
      PEM_write_bio_PKCS8PrivateKey(bio, key.get(), EVP_aes_256_cbc(), password,
                                    static_cast<int>(std::strlen(password)), nullptr, nullptr);
    else
      PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    return drain(bio);
  }
  std::string pkcs12(const char* password) const {
    PKCS12* p12 = PKCS12_create(password, "mcp", key.get(), cert.get(), nullptr, 0, 0, 0, 0, 0);
    BIO* bio = BIO_new(BIO_s_mem());
    i2d_PKCS12_bio(bio, p12);
    PKCS12_free(p12);
    return drain(bio);
  }
  std::string der() const {
    unsigned char* out = nullptr;
    int n = i2d_X509(cert.get(), &out);
    std::string der(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
    OPENSSL_free(out);
    return der;
  }
  bool verifies_pss(const std::string& data, const std::string& signature) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_PKEY_CTX* pctx = nullptr;
    EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key.get());
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32);
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                            data.size()) == 1;
  }
};

const environment kIds = {{"AZURE_TENANT_ID", "tenant-1"}, {"AZURE_CLIENT_ID", "client-1"}};
const json kVault = {{"vaultUrl", "https://v.vault.azure.net"}};

result<azure_settings> azure_with(environment env, json configuration = kVault) {
  env.insert(kIds.begin(), kIds.end());
  return parse_azure_settings(configuration, env);
}

TEST(AzureCredentials, DefaultAzureCredentialsOrder) {
  environment all = {{"AZURE_CLIENT_SECRET", "s"},
                     {"AZURE_CLIENT_CERTIFICATE_PATH", "/c.pem"},
                     {"AZURE_CLIENT_CERTIFICATE_PASSWORD", "pw"},
                     {"AZURE_FEDERATED_TOKEN_FILE", "/t"}};
  EXPECT_EQ(azure_with(all)->how, az_kind::client_secret);
  all.erase("AZURE_CLIENT_SECRET");
  auto cert = azure_with(all);
  EXPECT_EQ(cert->how, az_kind::client_certificate);
  EXPECT_EQ(cert->certificate_path, "/c.pem");
  EXPECT_EQ(cert->certificate_password, "pw");
  EXPECT_EQ(cert->consumed_env, (std::vector<std::string>{"AZURE_CLIENT_CERTIFICATE_PASSWORD",
                                                          "AZURE_CLIENT_CERTIFICATE_PATH"}));
  all.erase("AZURE_CLIENT_CERTIFICATE_PATH");
  EXPECT_EQ(azure_with(all)->how, az_kind::workload_identity);
  auto managed = azure_with({});
  EXPECT_EQ(managed->how, az_kind::instance_metadata);
  EXPECT_EQ(managed->origin, "managed identity (IMDS), else the Azure CLI's login");
  json configured = kVault;
  configured["clientCertificate"] = "-----BEGIN CERTIFICATE-----";
  EXPECT_EQ(azure_with({}, configured)->how, az_kind::client_certificate);
  auto no_ids = parse_azure_settings(configured, {});
  EXPECT_EQ(no_ids.err().message,
            "a client certificate needs tenantId and clientId (or AZURE_TENANT_ID and "
            "AZURE_CLIENT_ID)");
}

TEST(AzureCredentials, CertificatesFromPemAndPkcs12) {
  test_certificate t;
  for (const auto& [bytes, password] :
       {std::pair{t.pem(), ""}, std::pair{t.pem("pem-pw"), "pem-pw"},
        std::pair{t.pkcs12("pfx-pw"), "pfx-pw"}}) {
    auto read = read_client_certificate(bytes, password);
    ASSERT_TRUE(read) << read.err().message;
    EXPECT_EQ(read->certificate_der, t.der());
    EXPECT_TRUE(read->private_key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
  }
  EXPECT_EQ(read_client_certificate(t.pem("pem-pw"), "wrong").err().message,
            "no private key in the PEM that the password opens");
  EXPECT_EQ(read_client_certificate(t.pkcs12("pfx-pw"), "wrong").err().code, errc::config);
  test_certificate other;
  auto mismatched =
      read_client_certificate(other.pem().substr(0, other.pem().find("-----BEGIN PRIVATE")) +
                                  t.pem().substr(t.pem().find("-----BEGIN PRIVATE")),
                              "");
  EXPECT_EQ(mismatched.err().message, "no certificate in the PEM matches its private key");
  EXPECT_EQ(read_client_certificate("garbage", "").err().message, "neither PEM nor PKCS#12");
}

TEST(AzureCredentials, ThePs256ClientAssertion) {
  test_certificate t;
  auto s = azure_with({{"AZURE_CLIENT_CERTIFICATE_PATH", "/c.pem"}});
  auto cert = read_client_certificate(t.pem(), "");
  auto now = std::chrono::system_clock::from_time_t(1796061600);
  auto jwt = entra_certificate_assertion(*s, *cert, now, "jti-1");
  ASSERT_TRUE(jwt) << jwt.err().message;
  auto first = jwt->find('.'), second = jwt->rfind('.');
  auto decode = [](std::string part) {
    for (auto& c : part) c = c == '-' ? '+' : c == '_' ? '/' : c;
    return *base64_decode(part);
  };
  EXPECT_EQ(
      json::parse(decode(jwt->substr(0, first))),
      (json{{"alg", "PS256"}, {"typ", "JWT"}, {"x5t#S256", base64url_encode(sha256(t.der()))}}));
  EXPECT_EQ(json::parse(decode(jwt->substr(first + 1, second - first - 1))),
            (json{{"aud", "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token"},
                  {"iss", "client-1"},
                  {"sub", "client-1"},
                  {"jti", "jti-1"},
                  {"nbf", 1796061600},
                  {"iat", 1796061600},
                  {"exp", 1796062200}}));
  EXPECT_TRUE(t.verifies_pss(jwt->substr(0, second), decode(jwt->substr(second + 1))));
  auto req = entra_token_request(*s, *jwt);
  auto form = test::form_fields(req.body);
  EXPECT_EQ(form["client_assertion_type"],
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  EXPECT_EQ(form["client_assertion"], *jwt);
  EXPECT_EQ(form.count("client_secret"), 0u);
}

TEST(AzureCredentials, TheCliCommandAndItsAnswers) {
  auto s = azure_with({});
  auto req = azure_cli_request(*s, {{"PATH", "/usr/bin"}, {"HOME", "/h"}});
  EXPECT_EQ(req.argv, (std::vector<std::string>{"az", "account", "get-access-token", "--output",
                                                "json", "--resource", "https://vault.azure.net",
                                                "--tenant", "tenant-1"}));
  EXPECT_EQ(req.search_path, "/usr/bin");
  EXPECT_EQ(req.envp, (std::vector<std::string>{"HOME=/h", "PATH=/usr/bin"}));
  auto cn = parse_azure_settings({{"vaultUrl", "https://v.vault.azure.cn"}}, {});
  EXPECT_EQ(azure_cli_request(*cn, {}).argv[6], "https://vault.azure.cn") << "a sovereign cloud";
  EXPECT_EQ(azure_cli_request(*cn, {}).argv.size(), 7u) << "no tenant: the CLI's own";

  auto now = std::chrono::system_clock::from_time_t(1796061600);
  auto ok = parse_azure_cli(
      {0,
       R"({"accessToken":"eyJ0.cli","expiresOn":"2026-11-30 19:00:00.000000","expires_on":1796065200,
             "subscription":"s","tenant":"t","tokenType":"Bearer"})",
       ""},
      now);
  ASSERT_TRUE(ok) << ok.err().message;
  EXPECT_EQ(ok->value, "eyJ0.cli");
  EXPECT_EQ(ok->lifetime, std::chrono::seconds(3600));
  EXPECT_FALSE(
      parse_azure_cli({0, R"({"accessToken":"t","expires_on":99999999999999999})", ""}, now)
          ->lifetime)
      << "a time past a time_point's range is not said";
  auto logged_out =
      parse_azure_cli({1 << 8, "", "ERROR: Please run 'az login' to setup account.\n"}, now);
  EXPECT_EQ(logged_out.err().code, errc::refused);
  EXPECT_EQ(logged_out.err().message,
            "the Azure CLI is not logged in (ERROR: Please run 'az login' to setup account.): run "
            "`az login`");
  auto broken =
      parse_azure_cli({2 << 8, "eyJ0.secret-looking-output", "ERROR: \x1b[31mboom\n"}, now);
  EXPECT_EQ(broken.err().message, "the Azure CLI failed: ERROR: [31mboom");
  EXPECT_EQ(parse_azure_cli({0, "not json", ""}, now).err().code, errc::unavailable);
}

}  // namespace
}  // namespace mcpl
