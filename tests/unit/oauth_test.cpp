// The bridge's OAuth pieces: the Bearer challenge, where metadata is looked for, what it must
// say to be trusted, the token request each client authentication method makes, ES256
// signatures, and `renewable`, which renews what expires.
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "bridge/oauth_client.hpp"
#include "bridge/oauth_discovery.hpp"
#include "core/renewable.hpp"
#include "platform/crypto.hpp"
#include "platform/http/url.hpp"
#include "tests/support/form.hpp"
#include "tests/support/run_coro.hpp"

namespace mcpl {
namespace {

TEST(OAuthDiscovery, BearerChallenge) {
  auto c = parse_bearer_challenge(
      R"(Bearer error="invalid_token", resource_metadata="https://x/.well-known/oauth-protected-resource/mcp", scope="a b")");
  EXPECT_EQ(c.error, "invalid_token");
  EXPECT_EQ(c.resource_metadata, "https://x/.well-known/oauth-protected-resource/mcp");
  EXPECT_EQ(c.scope, "a b");
  auto other = parse_bearer_challenge(R"(Basic realm="x", bearer scope=read, error=insufficient_scope)");
  EXPECT_EQ(other.scope, "read");
  EXPECT_EQ(other.error, "insufficient_scope");
  EXPECT_EQ(parse_bearer_challenge("Basic realm=\"x\"").error, "");
  EXPECT_EQ(parse_bearer_challenge(R"(Bearer realm="a\"b")").error, "");
}

TEST(OAuthDiscovery, WhereMetadataIsLookedFor) {
  EXPECT_EQ(resource_metadata_urls("https://mcp.example.com/public/mcp?x=1"),
            (std::vector<std::string>{
                "https://mcp.example.com/.well-known/oauth-protected-resource/public/mcp",
                "https://mcp.example.com/.well-known/oauth-protected-resource"}));
  EXPECT_EQ(resource_metadata_urls("https://mcp.example.com"),
            (std::vector<std::string>{"https://mcp.example.com/.well-known/oauth-protected-resource"}));
  EXPECT_EQ(authorization_server_metadata_urls("https://auth.example.com/tenant1"),
            (std::vector<std::string>{
                "https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
                "https://auth.example.com/.well-known/openid-configuration/tenant1",
                "https://auth.example.com/tenant1/.well-known/openid-configuration"}));
  EXPECT_EQ(authorization_server_metadata_urls("https://auth.example.com/"),
            (std::vector<std::string>{"https://auth.example.com/.well-known/oauth-authorization-server",
                                      "https://auth.example.com/.well-known/openid-configuration"}));
}

TEST(OAuthDiscovery, MetadataMustBeForThisServerAndIssuer) {
  const std::string server = "https://mcp.example.com/mcp?k=v";
  auto ok = parse_resource_metadata(
      R"({"resource":"https://mcp.example.com/mcp","authorization_servers":["https://as"],"scopes_supported":["s"]})",
      server);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->authorization_servers[0], "https://as");
  EXPECT_TRUE(parse_resource_metadata(R"({"resource":"https://MCP.example.com","authorization_servers":["a"]})", server).ok());
  for (const char* other : {"https://evil.example/mcp", "https://mcp.example.com/mcp2",
                            "https://mcp.example.com/other"}) {
    auto bad = parse_resource_metadata(std::string(R"({"resource":")") + other +
                                           R"(","authorization_servers":["a"]})",
                                       server);
    ASSERT_FALSE(bad.ok()) << other;
    EXPECT_EQ(bad.err().code, errc::refused);
  }
  EXPECT_FALSE(parse_resource_metadata(R"({"resource":"https://mcp.example.com/mcp"})", server).ok());
  auto as = parse_authorization_server(
      R"({"issuer":"https://as/t","token_endpoint":"https://as/t/token","token_endpoint_auth_methods_supported":["client_secret_post"]})",
      "https://as/t/");
  ASSERT_TRUE(as.ok()) << as.err().message;
  EXPECT_EQ(as->auth_methods, (std::vector<std::string>{"client_secret_post"}));
  EXPECT_EQ(parse_authorization_server(R"({"issuer":"https://evil","token_endpoint":"https://evil/t"})",
                                       "https://as/t")
                .err()
                .code,
            errc::refused);
}

authorization_server server_taking(std::vector<std::string> methods) {
  return {"https://as.example/t", "https://as.example/t/token", std::move(methods), {}};
}

TEST(OAuthClient, EachAuthenticationMethod) {
  client_credentials secret{"my client", "s3cr:t", "", "", {}};
  auto basic = token_request(secret, server_taking({}), "https://mcp/x", {"a", "b"},
                             std::chrono::system_clock::now());
  ASSERT_TRUE(basic.ok());
  EXPECT_EQ(basic->url, "https://as.example/t/token");
  EXPECT_EQ(
      test::form_fields(basic->body),
      (std::map<std::string, std::string>{
          {"grant_type", "client_credentials"}, {"resource", "https://mcp/x"}, {"scope", "a b"}}));
  // "my%20client:s3cr%3At", base64
  EXPECT_EQ(basic->headers.back(),
            (std::pair<std::string, std::string>{"Authorization", "Basic bXklMjBjbGllbnQ6czNjciUzQXQ="}));
  auto post = token_request(secret, server_taking({"client_secret_post"}), "r", {},
                            std::chrono::system_clock::now());
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(test::form_fields(post->body),
            (std::map<std::string, std::string>{{"grant_type", "client_credentials"},
                                                {"resource", "r"},
                                                {"client_id", "my client"},
                                                {"client_secret", "s3cr:t"}}));
  EXPECT_EQ(choose_auth_method(secret, server_taking({"private_key_jwt"})).err().code, errc::config);
  client_credentials keyed{"c", "", "PEM", "", {}};
  EXPECT_EQ(choose_auth_method(keyed, server_taking({"client_secret_basic"})).err().code,
            errc::config);
  EXPECT_EQ(*choose_auth_method(keyed, server_taking({})), "private_key_jwt");
}

// A P-256 key made for the test, as PEM; and a check of an ES256 signature with it.
struct p256 {
  p256() : key(EVP_EC_gen("P-256"), EVP_PKEY_free) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    pem.assign(data, static_cast<std::size_t>(n));
    BIO_free(bio);
  }
  bool verifies(const std::string& input, const std::string& raw) const {
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr),
                   BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr));
    unsigned char* der = nullptr;
    int len = i2d_ECDSA_SIG(sig, &der);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
              EVP_DigestVerify(ctx, der, static_cast<std::size_t>(len),
                               reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    return ok;
  }
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key;
  std::string pem;
};

TEST(OAuthClient, Es256AssertionSignsWithTheKey) {
  p256 k;
  EXPECT_EQ(*jwt_algorithm(k.pem), "ES256");
  auto raw = es256_sign(k.pem, "payload");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->size(), 64u);
  EXPECT_TRUE(k.verifies("payload", *raw));
  EXPECT_FALSE(k.verifies("other", *raw));
  client_credentials c{"cid", "", k.pem, "", {}};
  auto jwt = client_assertion(c, "https://as.example/t", std::chrono::system_clock::time_point(std::chrono::seconds(1000)));
  ASSERT_TRUE(jwt.ok());
  auto dot = jwt->rfind('.');
  auto sig = base64_decode([&] {  // base64url → base64
    std::string s = jwt->substr(dot + 1);
    std::replace(s.begin(), s.end(), '-', '+');
    std::replace(s.begin(), s.end(), '_', '/');
    return s;
  }());
  ASSERT_TRUE(sig.has_value());
  EXPECT_TRUE(k.verifies(jwt->substr(0, dot), *sig));
  EXPECT_EQ(rs256_sign(k.pem, "x").err().code, errc::config);
  EXPECT_EQ(jwt_algorithm("not a key").err().code, errc::config);
  client_credentials wrong{"cid", "", k.pem, "RS256", {}};
  EXPECT_EQ(client_assertion(wrong, "i", std::chrono::system_clock::now()).err().code, errc::config);
}

TEST(Renewable, ObtainedOnceForManyAndRenewedNearTheEnd) {
  asio::io_context io;
  renewable<std::string> token;
  int obtained = 0;
  auto obtain = [&]() -> asio::awaitable<result<renewable<std::string>::obtained>> {
    ++obtained;
    asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(20));
    co_await t.async_wait(asio::use_awaitable);
    co_return renewable<std::string>::obtained{"t" + std::to_string(obtained), std::chrono::milliseconds(100)};
  };
  std::vector<std::string> got;
  for (int i = 0; i < 5; ++i)
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { got.push_back(*co_await token.get(obtain)); },
                   asio::detached);
  io.run();
  EXPECT_EQ(obtained, 1);
  EXPECT_EQ(got, std::vector<std::string>(5, "t1"));
  EXPECT_EQ(token.generation(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(85));  // past 4/5 of its 100 ms
  EXPECT_EQ(*testing::run_coro(io, token.get(obtain)), "t2");
  token.invalidate();
  EXPECT_EQ(*testing::run_coro(io, token.get(obtain)), "t3");
  auto failing = []() -> asio::awaitable<result<renewable<std::string>::obtained>> {
    co_return fail(errc::refused, "no");
  };
  token.invalidate();
  EXPECT_EQ(testing::run_coro(io, token.get(failing)).err().code, errc::refused);
  // A failure is shared by the rest of its round (a store's resolution) and tried again in
  // the next; without a round, by no one.
  int attempts = 0;
  auto counted = [&]() -> asio::awaitable<result<renewable<std::string>::obtained>> {
    ++attempts;
    co_return fail(errc::unavailable, "sealed");
  };
  renewable<std::string> login;
  EXPECT_FALSE(testing::run_coro(io, login.get(counted, 7)).ok());
  EXPECT_EQ(testing::run_coro(io, login.get(counted, 7)).err().message, "sealed");
  EXPECT_EQ(attempts, 1);
  EXPECT_FALSE(testing::run_coro(io, login.get(counted, 8)).ok());
  EXPECT_EQ(attempts, 2);
  EXPECT_FALSE(testing::run_coro(io, login.get(counted)).ok());
  EXPECT_FALSE(testing::run_coro(io, login.get(counted)).ok());
  EXPECT_EQ(attempts, 4);
  auto forever = renewable<int>::renewal_time(std::nullopt);
  EXPECT_EQ(forever, std::chrono::steady_clock::time_point::max());
}

}  // namespace
}  // namespace mcpl
