// Small coroutine tools on one single-threaded io_context: an event that many coroutines
// can wait for, and `gather`, which runs awaitables concurrently.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <vector>

#include "core/result.hpp"

namespace mcpl {

namespace asio = boost::asio;

/// Waits until `until` (returns early, without an error, when cancelled).
inline asio::awaitable<void> sleep_until(std::chrono::steady_clock::time_point until) {
  asio::steady_timer timer(co_await asio::this_coro::executor, until);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

/// A one-shot event: `wait` suspends until `set` is called (or returns at once after it).
class async_event {
 public:
  explicit async_event(asio::any_io_executor ex)
      : timer_(ex, asio::steady_timer::time_point::max()) {}

  void set() {
    set_ = true;
    timer_.cancel();
  }
  bool is_set() const { return set_; }

  /// Waits for `set`. Returns false instead when the waiting coroutine is cancelled.
  asio::awaitable<bool> wait() {
    while (!set_) {
      co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
      if (set_) break;
      auto cs = co_await asio::this_coro::cancellation_state;
      if (cs.cancelled() != asio::cancellation_type::none) co_return false;
    }
    co_return true;
  }

 private:
  asio::steady_timer timer_;
  bool set_ = false;
};

/// Runs every awaitable concurrently on the current executor and returns their results in
/// the order given. An exception escaping a task is rethrown here, after all have finished.
/// Cancelling the caller (a deadline through `||`) cancels every task, and waits for them
/// to wind down, so no work is left behind.
template <class T>
asio::awaitable<std::vector<T>> gather(std::vector<asio::awaitable<T>> tasks) {
  using namespace asio::experimental::awaitable_operators;
  struct state {
    explicit state(asio::any_io_executor ex, std::size_t n)
        : done(ex), abort(ex), slots(n), remaining(n) {}
    async_event done;
    async_event abort;  // set when the caller is cancelled: every task's `||` gives up
    std::vector<std::optional<T>> slots;
    std::size_t remaining;
    std::exception_ptr failure;
  };
  auto ex = co_await asio::this_coro::executor;
  auto st = std::make_shared<state>(ex, tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    auto run = [](std::shared_ptr<state> st, std::size_t i,
                  asio::awaitable<T> task) -> asio::awaitable<void> {
      try {
        auto r = co_await (std::move(task) || st->abort.wait());
        if (r.index() == 0) st->slots[i].emplace(std::move(std::get<0>(r)));
      } catch (...) {
        if (!st->failure) st->failure = std::current_exception();
      }
      if (--st->remaining == 0) st->done.set();
    };
    asio::co_spawn(ex, run(st, i, std::move(tasks[i])), asio::detached);
  }
  if (st->remaining > 0 && !co_await st->done.wait()) {
    st->abort.set();
    co_await asio::this_coro::reset_cancellation_state();
    co_await st->done.wait();
    throw boost::system::system_error(asio::error::operation_aborted);
  }
  if (st->failure) std::rethrow_exception(st->failure);
  std::vector<T> out;
  out.reserve(st->slots.size());
  for (auto& slot : st->slots) out.push_back(std::move(*slot));
  co_return out;
}

}  // namespace mcpl
