// The connection pool against a fake connector: reuse, the per-origin bound, waiting for a
// free connection, stale kept-alive connections, failed connects, http:// off loopback and metadata
// endpoints.
#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>

#include "core/async.hpp"
#include "core/quoted.hpp"
#include "platform/http/connection.hpp"
#include "tests/support/run_coro.hpp"

namespace mcpl {
namespace {

using namespace std::chrono_literals;

struct ledger {
  int connects = 0;
  int exchanges = 0;
  int in_flight = 0;
  int max_in_flight = 0;
  std::vector<std::string> origins;
  bool fail_connect = false;
  int stale_next = 0;  // the next N exchanges on reused connections find them closed
  std::chrono::milliseconds latency{5};
};

class fake_connection final : public http_connection {
 public:
  explicit fake_connection(ledger& l) : l_(l) {}
  asio::awaitable<result<http_response>> exchange(const http_request&, const std::string& target,
                                                  time_point) override {
    ++l_.exchanges;
    stale_ = used_ && l_.stale_next > 0;
    used_ = true;
    if (stale_) {
      --l_.stale_next;
      co_return fail(errc::unavailable, "reading the response: end of stream");
    }
    ++l_.in_flight;
    l_.max_in_flight = std::max(l_.max_in_flight, l_.in_flight);
    asio::steady_timer t(co_await asio::this_coro::executor, l_.latency);
    co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
    --l_.in_flight;
    http_response r;
    r.status = 200;
    r.body = target;
    co_return r;
  }
  bool reusable() const override { return !stale_; }
  bool stale() const override { return stale_; }

 private:
  ledger& l_;
  bool used_ = false;
  bool stale_ = false;
};

class fake_connector final : public http_connector {
 public:
  explicit fake_connector(ledger& l) : l_(l) {}
  asio::awaitable<result<std::unique_ptr<http_connection>>> connect(url_parts origin,
                                                                    std::optional<url_parts> proxy,
                                                                    time_point) override {
    ++l_.connects;
    l_.origins.push_back(origin.origin() + (proxy ? " via " + proxy->origin() : ""));
    if (l_.fail_connect) co_return fail(errc::unavailable, "connecting: Connection refused");
    co_return std::unique_ptr<http_connection>(std::make_unique<fake_connection>(l_));
  }

 private:
  ledger& l_;
};

struct Pool : ::testing::Test {
  asio::io_context io;
  ledger l;
  network_settings settings;
  std::unique_ptr<http_client> client;

  void make(std::size_t limit) {
    settings.limits.max_connections_per_origin = limit;
    client = make_pooled_client(std::make_unique<fake_connector>(l), settings);
  }
  static http_request get(std::string url) {
    http_request r;
    r.url = std::move(url);
    return r;
  }
  std::vector<result<http_response>> send_all(std::vector<http_request> reqs) {
    std::vector<asio::awaitable<result<http_response>>> tasks;
    for (auto& r : reqs) tasks.push_back(client->send(std::move(r)));
    return testing::run_coro(io, gather(std::move(tasks)));
  }
};

TEST_F(Pool, SequentialRequestsReuseOneConnection) {
  make(4);
  for (int i = 0; i < 3; ++i) {
    auto r = testing::run_coro(io, client->send(get("https://vault.example.com/v1/x")));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->body, "/v1/x");
  }
  EXPECT_EQ(l.connects, 1);
  EXPECT_EQ(client->stats().requests, 3u);
  EXPECT_EQ(client->stats().connections, 1u);
}

TEST_F(Pool, ConcurrentRequestsAreBoundedPerOriginAndAllServed) {
  make(3);
  std::vector<http_request> reqs;
  for (int i = 0; i < 10; ++i)
    reqs.push_back(get("https://vault.example.com/v1/" + std::to_string(i)));
  reqs.push_back(get("https://other.example.com/"));
  auto got = send_all(std::move(reqs));
  for (auto& r : got) EXPECT_TRUE(r.ok());
  EXPECT_EQ(l.connects, 4);  // three to vault, one to the other origin
  EXPECT_LE(l.max_in_flight, 4);
  EXPECT_GE(l.max_in_flight, 3);
}

TEST_F(Pool, AStaleKeptAliveConnectionIsRetriedOnAFreshOne) {
  make(4);
  ASSERT_TRUE(testing::run_coro(io, client->send(get("https://v.example.com/a"))).ok());
  l.stale_next = 1;
  auto r = testing::run_coro(io, client->send(get("https://v.example.com/b")));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "/b");
  EXPECT_EQ(l.connects, 2);
  EXPECT_EQ(l.exchanges, 3);
}

TEST_F(Pool, AFailedConnectGivesItsSlotBack) {
  make(1);
  l.fail_connect = true;
  auto failed = testing::run_coro(io, client->send(get("https://v.example.com/")));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.err().code, errc::unavailable);
  l.fail_connect = false;
  EXPECT_TRUE(testing::run_coro(io, client->send(get("https://v.example.com/"))).ok());
}

TEST_F(Pool, WaitingForAFreeConnectionEndsAtTheDeadline) {
  make(1);
  l.latency = 300ms;
  auto slow = get("https://v.example.com/slow");
  auto hurried = get("https://v.example.com/hurried");
  hurried.deadline = std::chrono::steady_clock::now() + 50ms;
  auto got = send_all({slow, hurried});
  EXPECT_TRUE(got[0].ok());
  ASSERT_FALSE(got[1].ok());
  EXPECT_NE(got[1].err().message.find("no connection free before the deadline"), std::string::npos);
}

TEST_F(Pool, ProxiedAndDirectConnectionsArePooledApart) {
  settings.https_proxy = "http://proxy.corp:3128";
  settings.no_proxy = "direct.example.com";
  make(4);
  send_all({get("https://a.example.com/"), get("https://direct.example.com/")});
  EXPECT_EQ(l.origins,
            (std::vector<std::string>{"https://a.example.com:443 via http://proxy.corp:3128",
                                      "https://direct.example.com:443"}));
}

TEST_F(Pool, AHeaderValueWithALineBreakIsRefused) {
  make(4);
  auto req = get("https://v.example.com/");
  req.headers.emplace_back("X-Vault-Token", "hvs.a\r\nX-Injected: 1");
  auto r = testing::run_coro(io, client->send(req));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().code, errc::config);
  EXPECT_EQ(shape_line(r.err().message), "the X-Vault-Token header would hold a line break");
  EXPECT_EQ(l.connects, 0);
}

TEST_F(Pool, PlainHttpOnlyToLoopbackAndMetadataEndpoints) {
  make(4);
  for (const char* url : {"http://vault.example.com/", "http://10.0.0.1/", "http://[fd00::1]/"}) {
    auto off = testing::run_coro(io, client->send(get(url)));
    ASSERT_FALSE(off.ok()) << url;
    EXPECT_EQ(off.err().code, errc::config);
  }
  EXPECT_EQ(l.connects, 0);
  for (const char* url : {"http://127.0.0.1:8200/", "http://169.254.169.254/latest/api/token",
                          "http://169.254.170.2/v2/credentials/x", "http://[fd00:ec2::254]/",
                          "http://metadata.google.internal/computeMetadata/v1/"})
    EXPECT_TRUE(testing::run_coro(io, client->send(get(url))).ok()) << url;
  EXPECT_EQ(l.connects, 5);
}

}  // namespace
}  // namespace mcpl
