// The pure parts of the HTTP client: URLs, proxy choice, Retry-After and backoff; and the
// retry policy against a scripted fake client.
#include <gtest/gtest.h>

#include <deque>

#include "core/quoted.hpp"
#include "platform/http/proxy.hpp"
#include "platform/http/retry.hpp"
#include "platform/http/url.hpp"
#include "tests/support/run_coro.hpp"

namespace mcpl {
namespace {

using namespace std::chrono_literals;

TEST(Url, Parts) {
  auto u = parse_url("https://Vault.example.com:8200/v1/secret?x=1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "Vault.example.com");
  EXPECT_EQ(u->port, "8200");
  EXPECT_EQ(u->target, "/v1/secret?x=1");
  EXPECT_EQ(u->origin(), "https://Vault.example.com:8200");
  auto bare = parse_url("HTTP://127.0.0.1");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->scheme, "http");
  EXPECT_EQ(bare->port, "80");
  EXPECT_EQ(bare->target, "/");
  auto v6 = parse_url("https://[::1]:8443?q");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->target, "/?q");
  EXPECT_EQ(v6->origin(), "https://[::1]:8443");
}

TEST(Url, RejectsWhatItCannotUseWithoutEchoingIt) {
  for (const char* bad : {"vault.example.com", "ftp://x", "https://", "https://h:0",
                          "https://h:70000", "https://h:8x", "https://[::1", "https://[zz]:1",
                          "https://h/#frag", "https://h o/", "https://user:pa55word@h/"}) {
    auto r = parse_url(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.err().code, errc::config);
    EXPECT_EQ(r.err().message.find("pa55word"), std::string::npos);
  }
}

TEST(Url, RefusesWhatWouldBreakTheRequestLine) {
  // A URL from IDENTITY_ENDPOINT or an AWS container variable injected a header this way.
  using namespace std::string_literals;
  for (const std::string& bad :
       {"http://169.254.170.2/creds\r\nX-Injected: 1"s, "http://h/a b"s, "http://h/a\nb"s,
        "http://h/a\0b"s, "http://h/\tx"s, "http://h/\x7f"s, "http://h?x=\r"s}) {
    auto r = parse_url(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.err().message.find("control character"), std::string::npos) << r.err().message;
  }
  EXPECT_TRUE(parse_url("http://h/a%20b?x=%0D").ok());
}

TEST(Url, LoopbackAndLiterals) {
  for (const char* h : {"localhost", "LOCALHOST", "127.0.0.1", "127.255.0.9", "::1"})
    EXPECT_TRUE(is_loopback_host(h)) << h;
  for (const char* h : {"128.0.0.1", "localhost.example.com", "10.0.0.1", "::2", "vault"})
    EXPECT_FALSE(is_loopback_host(h)) << h;
  EXPECT_TRUE(is_ip_literal("10.1.2.3"));
  EXPECT_TRUE(is_ip_literal("fe80::1"));
  EXPECT_FALSE(is_ip_literal("vault.local"));
}

TEST(Url, MetadataHosts) {
  for (const char* h :
       {"169.254.169.254", "169.254.170.2", "169.254.170.23", "fd00:ec2::254", "fd00:ec2::23",
        "fe80::1", "metadata.google.internal", "Metadata.Google.Internal"})
    EXPECT_TRUE(is_metadata_host(h)) << h;
  for (const char* h : {"169.255.169.254", "168.254.1.1", "fd00:ec3::254", "fd00::1", "127.0.0.1",
                        "metadata.google.internal.evil.example", "metadata", "::1"})
    EXPECT_FALSE(is_metadata_host(h)) << h;
}

TEST(Url, AuthorityOmitsTheDefaultPort) {
  EXPECT_EQ(parse_url("https://secretsmanager.us-east-1.amazonaws.com/")->authority(),
            "secretsmanager.us-east-1.amazonaws.com");
  EXPECT_EQ(parse_url("https://127.0.0.1:8443/")->authority(), "127.0.0.1:8443");
  EXPECT_EQ(parse_url("http://[fd00:ec2::254]/latest")->authority(), "[fd00:ec2::254]");
  EXPECT_EQ(parse_url("http://[::1]:443/")->authority(), "[::1]:443");
}

TEST(Url, BaseUrls) {
  EXPECT_EQ(*check_base_url("https://vault.example.com:8200/", "address"),
            "https://vault.example.com:8200");
  EXPECT_EQ(*check_base_url("http://127.0.0.1:8200", "address"), "http://127.0.0.1:8200");
  auto plain = check_base_url("http://vault.example.com", "configuration.address");
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(shape_line(plain.err().message),
            "configuration.address: plain http:// is only allowed to a loopback address; use "
            "https://");
  EXPECT_FALSE(check_base_url("https://h/?q=1", "siteUrl").ok());
}

TEST(Url, Encoding) {
  EXPECT_EQ(percent_encode("a b/c?d#e%f~_.-"), "a%20b%2Fc%3Fd%23e%25f~_.-");
  EXPECT_EQ(percent_encode("team/app key", true), "team/app%20key");
  EXPECT_EQ(query_string({{"secretPath", "/a b"}, {"environment", "prod"}}),
            "?secretPath=%2Fa%20b&environment=prod");
  EXPECT_EQ(query_string({}), "");
}

url_parts target(const char* url) { return *parse_url(url); }

TEST(Proxy, ChoosesAndBypasses) {
  const char* proxy = "http://proxy.corp:3128";
  auto via = choose_proxy(target("https://vault.example.com"), proxy, "");
  ASSERT_TRUE(via.ok());
  ASSERT_TRUE(via->has_value());
  EXPECT_EQ((*via)->host, "proxy.corp");
  EXPECT_EQ((*via)->port, "3128");
  auto no_scheme = choose_proxy(target("https://vault.example.com"), "proxy.corp:3128", "");
  EXPECT_EQ((*no_scheme)->scheme, "http");

  struct row {
    const char* url;
    const char* no_proxy;
    bool proxied;
  };
  for (const row& r : std::initializer_list<row>{
           {"https://vault.example.com", "example.com", false},
           {"https://vault.example.com", ".example.com", false},
           {"https://vault.example.com", "*.example.com", false},
           {"https://example.com", ".example.com", false},
           {"https://badexample.com", "example.com", true},
           {"https://vault.example.com", "other.org, EXAMPLE.COM ", false},
           {"https://vault.example.com:8200", "vault.example.com:8200", false},
           {"https://vault.example.com:8200", "vault.example.com:443", true},
           {"https://10.1.2.3", "10.1.2.3", false},
           {"https://10.1.2.3", "2.3", true},
           {"https://[fd00::1]:8200", "[fd00::1]:8200", false},
           {"https://vault.example.com", "*", false},
           {"https://127.0.0.1:8200", "", false},
           {"https://localhost", "", false},
           {"http://127.0.0.1", "", false},
       }) {
    auto got = choose_proxy(target(r.url), proxy, r.no_proxy);
    ASSERT_TRUE(got.ok()) << r.url;
    EXPECT_EQ(got->has_value(), r.proxied) << r.url << " with NO_PROXY=" << r.no_proxy;
  }
  EXPECT_FALSE(choose_proxy(target("https://v.example.com"), "", "")->has_value());
  auto tls_proxy = choose_proxy(target("https://v.example.com"), "https://proxy:443", "");
  ASSERT_FALSE(tls_proxy.ok());
  EXPECT_EQ(tls_proxy.err().code, errc::config);
}

TEST(Retry, WhatIsTransient) {
  for (int s : {429, 500, 502, 503, 504}) EXPECT_TRUE(is_transient_status(s)) << s;
  for (int s : {200, 400, 401, 403, 404, 412, 501, 505}) EXPECT_FALSE(is_transient_status(s)) << s;
}

TEST(Retry, RetryAfterForms) {
  auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(parse_retry_after("3", now).value(), 3s);
  EXPECT_EQ(parse_retry_after(" 0 ", now).value(), 0s);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now).value(), 10s);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now).value(), 0s);  // in the past
  EXPECT_GT(parse_retry_after("99999999999", now).value(), 24h);
  EXPECT_GT(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now).value(), 24h);
  EXPECT_GT(parse_retry_after("Sat, 31 Dec 2050 23:59:59 GMT", now).value(), 24h);
  for (const char* bad : {"", "soon", "-1", "1.5", "06 Nov 1994", "Sun, 06 Nov 19 08:49:37 GMT"})
    EXPECT_FALSE(parse_retry_after(bad, now).has_value()) << bad;
}

TEST(Retry, BackoffGrowsAndIsCapped) {
  retry_policy p;
  EXPECT_EQ(backoff_delay(p, 1, [] { return 0.999; }), 99ms);
  EXPECT_EQ(backoff_delay(p, 2, [] { return 0.5; }), 100ms);
  EXPECT_EQ(backoff_delay(p, 3, [] { return 0.999; }), 399ms);
  EXPECT_EQ(backoff_delay(p, 30, [] { return 0.999; }), 1998ms);
  EXPECT_EQ(backoff_delay(p, 3, [] { return 0.0; }), 0ms);
}

// Plays scripted answers, one per send.
class scripted_client final : public http_client {
 public:
  std::deque<result<http_response>> answers;
  int sent = 0;
  asio::awaitable<result<http_response>> send(http_request) override {
    ++sent;
    auto next = std::move(answers.front());
    answers.pop_front();
    co_return next;
  }
  http_stats stats() const override { return {}; }
};

http_response status(int code, std::string retry_after = "") {
  http_response r;
  r.status = code;
  if (!retry_after.empty()) r.headers.emplace_back("Retry-After", retry_after);
  return r;
}

struct RetryClient : ::testing::Test {
  asio::io_context io;
  scripted_client* inner = nullptr;
  std::unique_ptr<http_client> client;
  void SetUp() override {
    auto s = std::make_unique<scripted_client>();
    inner = s.get();
    client = make_retrying_client(std::move(s), retry_policy{4, 1ms, 5ms});
  }
  result<http_response> send(
      std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max(),
      bool (*transient)(const http_response&) = nullptr) {
    http_request req;
    req.deadline = deadline;
    req.transient = transient;
    return testing::run_coro(io, client->send(req));
  }
};

TEST_F(RetryClient, TransientFailuresAreRetriedUntilSuccess) {
  inner->answers = {fail(errc::unavailable, "connection reset"), status(503), status(429, "0"),
                    status(200)};
  auto r = send();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(inner->sent, 4);
}

TEST_F(RetryClient, PermanentAnswersAreNotRetried) {
  inner->answers = {status(404)};
  EXPECT_EQ(send()->status, 404);
  inner->answers = {fail(errc::refused, "certificate not accepted")};
  EXPECT_EQ(send().err().code, errc::refused);
  inner->answers = {fail(errc::content, "too large")};
  EXPECT_EQ(send().err().code, errc::content);
  EXPECT_EQ(inner->sent, 3);
}

TEST_F(RetryClient, AStoreMayCallMoreAnswersTransient) {
  auto throttled = [](const http_response& r) { return r.header("x-throttled") == "yes"; };
  http_response slow_down = status(400);
  slow_down.headers.emplace_back("X-Throttled", "yes");
  inner->answers = {slow_down, status(400)};
  EXPECT_EQ(send(std::chrono::steady_clock::time_point::max(), throttled)->status, 400);
  EXPECT_EQ(inner->sent, 2) << "the throttled 400 was retried, the plain one was not";
}

TEST_F(RetryClient, GivesUpAfterTheLastAttemptWithTheLastAnswer) {
  inner->answers = {status(503), status(503), status(503), status(502), status(200)};
  EXPECT_EQ(send()->status, 502);
  EXPECT_EQ(inner->sent, 4);
}

TEST_F(RetryClient, ARetryAfterPastTheDeadlineEndsAtOnce) {
  inner->answers = {status(429, "60"), status(200)};
  auto start = std::chrono::steady_clock::now();
  auto r = send(start + 2s);
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(inner->sent, 1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST_F(RetryClient, RetryAfterIsHonoured) {
  inner->answers = {status(503, "1"), status(200)};
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(send()->status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1s);
}

}  // namespace
}  // namespace mcpl
