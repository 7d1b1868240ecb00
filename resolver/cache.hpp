// The in-memory secret cache of DESIGN §5: values live for `ttl`, and concurrent requests
// for one key share one fetch (single-flight). Nothing is ever written to disk.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/async.hpp"
#include "core/result.hpp"

namespace mcpl {

class secret_cache {
 public:
  using clock = std::chrono::steady_clock;
  using now_fn = std::function<clock::time_point()>;

  /// A fetch in progress; others asking for the same key wait on it.
  struct flight {
    explicit flight(asio::any_io_executor ex) : done(ex) {}
    async_event done;
    std::optional<result<std::string>> outcome;
  };

  explicit secret_cache(std::chrono::milliseconds ttl, now_fn now = clock::now);
  ~secret_cache();

  /// The cached value of `key`, if it has not expired.
  std::optional<std::string> lookup(const std::string& key);

  /// The fetch of `key` under way, if any.
  std::shared_ptr<flight> in_flight(const std::string& key) const;

  /// Registers a new fetch of `key`; the caller must `complete` it.
  std::shared_ptr<flight> begin(const std::string& key, asio::any_io_executor ex);

  /// Ends the fetch of `key`: keeps a successful value for the TTL and wakes the waiters.
  void complete(const std::string& key, const std::shared_ptr<flight>& f,
                result<std::string> outcome);

 private:
  struct entry {
    std::string value;
    clock::time_point expires;
  };
  std::chrono::milliseconds ttl_;
  now_fn now_;
  std::map<std::string, entry> values_;
  std::map<std::string, std::shared_ptr<flight>> flights_;
};

}  // namespace mcpl
