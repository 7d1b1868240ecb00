#include "resolver/cache.hpp"

#include <string.h>

namespace mcpl {

namespace {
// Overwrites a secret before its memory is released.
void wipe(std::string& s) {
  explicit_bzero(s.data(), s.size());
  s.clear();
}
}  // namespace

secret_cache::secret_cache(std::chrono::milliseconds ttl, now_fn now)
    : ttl_(ttl), now_(std::move(now)) {}

secret_cache::~secret_cache() {
  for (auto& [k, e] : values_) wipe(e.value);
}

std::optional<std::string> secret_cache::lookup(const std::string& key) {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  if (now_() >= it->second.expires) {
    wipe(it->second.value);
    values_.erase(it);
    return std::nullopt;
  }
  return it->second.value;
}

std::shared_ptr<secret_cache::flight> secret_cache::in_flight(const std::string& key) const {
  auto it = flights_.find(key);
  return it == flights_.end() ? nullptr : it->second;
}

std::shared_ptr<secret_cache::flight> secret_cache::begin(const std::string& key,
                                                          asio::any_io_executor ex) {
  auto f = std::make_shared<flight>(ex);
  flights_[key] = f;
  return f;
}

void secret_cache::complete(const std::string& key, const std::shared_ptr<flight>& f,
                            result<std::string> outcome) {
  if (outcome.ok() && ttl_.count() > 0) {
    auto& e = values_[key];
    wipe(e.value);
    e.value = *outcome;
    e.expires = now_() + ttl_;
  }
  f->outcome.emplace(std::move(outcome));
  auto it = flights_.find(key);
  if (it != flights_.end() && it->second == f) flights_.erase(it);
  f->done.set();
}

}  // namespace mcpl
