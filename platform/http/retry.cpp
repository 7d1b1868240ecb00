#include "platform/http/retry.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

namespace mcpl {

namespace {

class retrying_client final : public http_client {
 public:
  retrying_client(std::unique_ptr<http_client> inner, retry_policy policy)
      : inner_(std::move(inner)), policy_(policy), rng_(std::random_device{}()) {}

  asio::awaitable<result<http_response>> send(http_request req) override {
    for (int attempt = 1;; ++attempt) {
      auto got = co_await inner_->send(req);
      // Only transport failures are worth retrying; a refused TLS handshake or a URL the
      // client may not use will fail the same way again.
      bool transient =
          got ? is_transient_status(got->status) || (req.transient && req.transient(*got))
              : got.err().code == errc::unavailable;
      if (!transient || attempt >= policy_.max_attempts) co_return got;
      auto wait = backoff_delay(policy_, attempt, [this] {
        return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
      });
      if (got) {
        if (auto asked =
                parse_retry_after(got->header("retry-after"), std::chrono::system_clock::now()))
          wait = *asked;
      }
      if (std::chrono::steady_clock::now() + wait >= req.deadline) co_return got;
      asio::steady_timer timer(co_await asio::this_coro::executor, wait);
      auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return got;  // cancelled: the deadline of the whole resolution passed
    }
  }

  // A stream is not retried: its reader knows whether the request may be sent again.
  asio::awaitable<result<std::unique_ptr<http_stream>>> open(http_request req) override {
    return inner_->open(std::move(req));
  }

  http_stats stats() const override { return inner_->stats(); }

 private:
  std::unique_ptr<http_client> inner_;
  retry_policy policy_;
  std::mt19937_64 rng_;
};

}  // namespace

std::unique_ptr<http_client> make_retrying_client(std::unique_ptr<http_client> inner,
                                                  retry_policy policy) {
  return std::make_unique<retrying_client>(std::move(inner), policy);
}

}  // namespace mcpl
