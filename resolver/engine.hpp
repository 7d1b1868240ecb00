// The resolution engine of DESIGN §5: deduplicate, fetch concurrently under one deadline,
// share fetches through the cache, apply selectors, and report every failure on its own.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "providers/provider.hpp"
#include "resolver/cache.hpp"
#include "resolver/redactor.hpp"
#include "resolver/resolved.hpp"
#include "resolver/stores.hpp"

namespace mcpl {

class resolution_engine {
 public:
  using clock = std::chrono::steady_clock;

  /// Every value the engine obtains — for references and for store configurations alike —
  /// is given to `redact` (when set) before anyone can log it.
  resolution_engine(const store_catalogue& stores, provider_factory factory, provider_context ctx,
                    secret_cache& cache, redactor* redact = nullptr);
  ~resolution_engine();

  /// Resolves `refs`, one fetch per distinct (store, identifier), all stores concurrently.
  /// Results are in the order of `refs`. A store not done by `deadline` fails its
  /// references with errc::unavailable. Never throws for an expected failure.
  ///
  /// The engine may resolve again (supervise mode): its stores stay built, with their
  /// connections and login tokens; a store whose building failed is built anew, and a login
  /// that failed is tried again (once per resolution). `fresh` reads every value from its
  /// store even when the cache has it (a restarted server gets the values as they are now).
  asio::awaitable<std::vector<resolved>> resolve(std::vector<bound_reference> refs,
                                                 clock::time_point deadline, bool fresh = false);

  /// Environment variables that the stores built so far consumed as credentials: read
  /// through `{{ env.NAME }}` (or an `env` store) in a store's configuration, or by a
  /// provider itself. The child does not get them (DESIGN §6).
  const std::set<std::string>& consumed_env() const { return consumed_env_; }

  /// Each built store's credentials_source() as it stands now (a store may learn it while
  /// logging in), by store label; stores that need none are absent.
  std::map<std::string, std::string> credential_sources() const;

  /// How a timeout message names the deadline ("--timeout 30s"); "the resolution deadline"
  /// when not given.
  void name_deadline(std::string name) { deadline_name_ = std::move(name); }

  /// How many times each store's provider was asked to fetch (for `check` and tests).
  std::size_t fetches() const { return fetches_; }

 private:
  struct store_slot;
  asio::awaitable<std::vector<resolved>> resolve_within(std::vector<bound_reference> refs,
                                                        clock::time_point deadline, bool fresh);
  asio::awaitable<result<provider*>> provider_for(const std::string& store,
                                                  clock::time_point deadline);
  asio::awaitable<result<provider*>> build_provider(const std::string& store,
                                                    clock::time_point deadline);
  asio::awaitable<std::map<std::string, result<std::string>>> fetch_store(
      std::string store, std::vector<std::string> ids, clock::time_point deadline, bool fresh);

  const store_catalogue& stores_;
  provider_factory factory_;
  provider_context ctx_;
  secret_cache& cache_;
  redactor* redact_;
  std::map<std::string, std::shared_ptr<store_slot>> slots_;
  std::set<std::string> consumed_env_;
  std::size_t fetches_ = 0;
  std::string deadline_name_ = "the resolution deadline";
  // "store 'S' (ORIGIN): no answer before DEADLINE ran out"
  error timed_out(const std::string& store) const;
};

}  // namespace mcpl
