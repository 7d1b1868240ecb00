// A credential that expires — an OAuth access token, a store's login token — kept until
// shortly before it expires, then obtained again: once, however many ask at the same moment.
// The bridge renews its OAuth token with it; supervise mode renews the stores' credentials.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "core/async.hpp"
#include "core/result.hpp"

namespace mcpl {

template <class T>
class renewable {
 public:
  using clock = std::chrono::steady_clock;

  /// What obtaining gives: the value and, when it expires, how long it lives.
  struct obtained {
    T value;
    std::optional<clock::duration> lifetime;
  };

  /// The value, obtained with `obtain` (an awaitable<result<obtained>>) when there is none,
  /// it was invalidated, or it has reached the last fifth of its lifetime (at most five
  /// minutes before it expires). Callers that come while it is being obtained wait for it,
  /// and share its failure; so do later callers of the same nonzero `round` (a store's
  /// resolution: its login fails once, not once per secret). The next round tries again.
  template <class Obtain>
  asio::awaitable<result<T>> get(Obtain obtain, std::uint64_t round = 0) {
    if (value_ && clock::now() < renew_at_) co_return *value_;
    if (!value_ && failure_ && round != 0 && round == failed_round_) co_return *failure_;
    if (auto pending = pending_) {
      co_await pending->wait();
      if (value_) co_return *value_;
      co_return failure_.value_or(fail(errc::unavailable, "cancelled while it was obtained"));
    }
    auto pending = pending_ = std::make_shared<async_event>(co_await asio::this_coro::executor);
    auto got = co_await obtain();
    if (got) {
      value_ = std::move(got->value);
      renew_at_ = renewal_time(got->lifetime);
      failure_.reset();
      ++generation_;
    } else {
      value_.reset();
      failure_ = got.err();
      failed_round_ = round;
    }
    pending_.reset();
    pending->set();
    if (!got) co_return got.err();
    co_return *value_;
  }

  /// What `obtain` gives for a value that does not expire, or the failure to obtain it.
  static result<obtained> lasting(result<T> got) {
    if (!got) return got.err();
    return obtained{std::move(*got), std::nullopt};
  }

  /// Forgets the value (the server refused it): the next `get` obtains a new one.
  void invalidate() { value_.reset(); }

  /// How many values have been obtained: tells a value apart from the one after it.
  unsigned generation() const { return generation_; }

  /// When a value that lives `lifetime` from now is to be renewed.
  static clock::time_point renewal_time(std::optional<clock::duration> lifetime) {
    if (!lifetime) return clock::time_point::max();
    auto early = std::min<clock::duration>(*lifetime / 5, std::chrono::minutes(5));
    return clock::now() + *lifetime - early;
  }

 private:
  std::optional<T> value_;
  clock::time_point renew_at_ = clock::time_point::max();
  std::shared_ptr<async_event> pending_;
  std::optional<error> failure_;
  std::uint64_t failed_round_ = 0;
  unsigned generation_ = 0;
};

}  // namespace mcpl
