// Keep-alive connection pools, one per origin (and proxy), each bounded: fifty requests to
// one store share a few connections and run as many at a time as the bound allows.
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <deque>
#include <map>

#include "core/async.hpp"
#include "platform/http/connection.hpp"
#include "platform/http/proxy.hpp"

namespace mcpl {

using namespace asio::experimental::awaitable_operators;

namespace {

// The connections of one origin. Shared with every lease, so that a coroutine abandoned at
// the deadline can still give its slot back after the client is gone.
struct origin_pool {
  std::vector<std::unique_ptr<http_connection>> idle;
  std::size_t open = 0;  // idle + leased
  std::deque<std::shared_ptr<async_event>> waiters;

  void wake_one() {
    if (waiters.empty()) return;
    auto next = std::move(waiters.front());
    waiters.pop_front();
    next->set();
  }
};

// A connection taken from the pool; goes back (or is closed) when the lease ends.
class lease {
 public:
  lease(std::shared_ptr<origin_pool> pool, std::unique_ptr<http_connection> conn, bool reused)
      : pool_(std::move(pool)), conn_(std::move(conn)), reused_(reused) {}
  lease(lease&&) = default;
  ~lease() {
    if (!pool_) return;
    if (conn_ && conn_->reusable())
      pool_->idle.push_back(std::move(conn_));
    else
      --pool_->open;
    pool_->wake_one();
  }
  http_connection& operator*() { return *conn_; }
  bool reused() const { return reused_; }

 private:
  std::shared_ptr<origin_pool> pool_;
  std::unique_ptr<http_connection> conn_;
  bool reused_;
};

// A response read as it arrives; its connection goes back to the pool when the stream ends
// (kept alive only if the body was read to its end).
class pooled_stream final : public http_stream {
 public:
  pooled_stream(lease conn, http_response head) : conn_(std::move(conn)), head_(std::move(head)) {}
  const http_response& head() const override { return head_; }
  asio::awaitable<result<std::string>> read_some() override { return (*conn_).read_some(); }

 private:
  lease conn_;
  http_response head_;
};

// Where a request goes: its URL, the proxy (if any), and the pool of that origin.
struct route {
  url_parts target;
  std::optional<url_parts> proxy;
  std::shared_ptr<origin_pool> pool;
};

class pooled_client final : public http_client {
 public:
  pooled_client(std::unique_ptr<http_connector> connector, network_settings settings)
      : connector_(std::move(connector)), settings_(std::move(settings)) {}

  asio::awaitable<result<http_response>> send(http_request req) override {
    auto to = route_of(req);
    if (!to) co_return to.err();
    auto done = co_await on_connection<http_response>(*to, req, [&](http_connection& c) {
      return c.exchange(req, to->target.target, attempt_until(req));
    });
    if (!done) co_return done.err();
    co_return std::move(done->second);  // the lease goes back to the pool here
  }

  asio::awaitable<result<std::unique_ptr<http_stream>>> open(http_request req) override {
    auto to = route_of(req);
    if (!to) co_return to.err();
    auto head = co_await on_connection<http_response>(*to, req, [&](http_connection& c) {
      return c.start(req, to->target.target, attempt_until(req));
    });
    if (!head) co_return head.err();
    co_return std::unique_ptr<http_stream>(
        std::make_unique<pooled_stream>(std::move(head->first), std::move(head->second)));
  }

  http_stats stats() const override { return stats_; }

 private:
  // Runs `step` (an awaitable on a connection) on a pooled connection, and returns the
  // connection with what it gave. A kept-alive connection the server closed meanwhile is
  // tried once more, fresh: it failed before the server read the request.
  template <class T, class Step>
  asio::awaitable<result<std::pair<lease, T>>> on_connection(const route& to,
                                                             const http_request& req, Step step) {
    for (bool fresh_only = false;; fresh_only = true) {
      auto taken = co_await acquire(to.pool, to.target, to.proxy, req.deadline, fresh_only);
      if (!taken) co_return taken.err();
      ++stats_.requests;
      result<T> got = co_await step(**taken);
      if (got) co_return std::pair<lease, T>(std::move(*taken), std::move(*got));
      if (!taken->reused() || !(**taken).stale() || fresh_only)
        co_return fail(got.err().code, to.target.origin() + ": " + got.err().message);
    }
  }

  // Checks what the client may send where, and finds the pool of its origin and proxy.
  result<route> route_of(const http_request& req) {
    auto target = parse_url(req.url);
    if (!target) return target.err();
    for (const auto& [name, value] : req.headers)
      if (value.find_first_of("\r\n", 0, 3) != std::string::npos)  // CR, LF or NUL
        return fail(errc::config, "the " + name + " header would hold a line break");
    if (target->scheme == "http" && !is_loopback_host(target->host) &&
        !is_metadata_host(target->host))
      return fail(errc::config, "plain http:// is only allowed to a loopback or metadata address");
    auto proxy = choose_proxy(*target, settings_.https_proxy, settings_.no_proxy);
    if (!proxy) return proxy.err();
    std::string key = target->origin() + (*proxy ? " via " + (*proxy)->origin() : "");
    auto& pool = pools_[key];
    if (!pool) pool = std::make_shared<origin_pool>();
    return route{std::move(*target), std::move(*proxy), pool};
  }

  // When one attempt must be over: the request's deadline, or the per-attempt bound.
  time_point attempt_until(const http_request& req) const {
    return std::min(req.deadline, std::chrono::steady_clock::now() + settings_.limits.request_timeout);
  }

  asio::awaitable<result<lease>> acquire(std::shared_ptr<origin_pool> pool, const url_parts& target,
                                         const std::optional<url_parts>& proxy, time_point deadline,
                                         bool fresh_only) {
    auto limit = std::max<std::size_t>(1, settings_.limits.max_connections_per_origin);
    for (;;) {
      if (!fresh_only && !pool->idle.empty()) {
        auto conn = std::move(pool->idle.back());
        pool->idle.pop_back();
        co_return lease(pool, std::move(conn), true);
      }
      if (fresh_only && !pool->idle.empty() && pool->open >= limit) {
        pool->idle.pop_back();  // make room: an idle connection is the cheapest to lose
        --pool->open;
      }
      if (pool->open < limit) {
        ++pool->open;
        ++stats_.connections;
        auto until =
            std::min(deadline, std::chrono::steady_clock::now() + settings_.limits.connect_timeout);
        auto conn = co_await connector_->connect(target, proxy, until);
        if (!conn) {
          --pool->open;
          pool->wake_one();
          co_return fail(conn.err().code, conn.err().message);
        }
        co_return lease(pool, std::move(*conn), false);
      }
      auto turn = std::make_shared<async_event>(co_await asio::this_coro::executor);
      pool->waiters.push_back(turn);
      auto woke = co_await (turn->wait() || sleep_until(deadline));
      if (woke.index() == 1 || !std::get<0>(woke)) {
        std::erase(pool->waiters, turn);
        if (turn->is_set()) pool->wake_one();  // woken as time ran out: pass the turn on
        co_return fail(errc::unavailable,
                       target.origin() + ": no connection free before the deadline");
      }
    }
  }

  std::unique_ptr<http_connector> connector_;
  network_settings settings_;
  std::map<std::string, std::shared_ptr<origin_pool>> pools_;
  http_stats stats_;
};

}  // namespace

std::unique_ptr<http_client> make_pooled_client(std::unique_ptr<http_connector> connector,
                                                network_settings settings) {
  return std::make_unique<pooled_client>(std::move(connector), std::move(settings));
}

}  // namespace mcpl
