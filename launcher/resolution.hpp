// Resolving a launch's references — once, or again and again with the same stores — and the
// report of its failures (DESIGN §5: every failure on its own line, never a value).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "platform/reaper.hpp"
#include "providers/provider.hpp"
#include "resolver/redactor.hpp"
#include "resolver/resolved.hpp"
#include "resolver/stores.hpp"

namespace mcpl {

struct resolution_run {
  std::vector<bound_reference> refs;
  std::vector<resolved> results;  ///< one per ref, in order
  std::set<std::string> consumed_env;
  std::set<std::string> stores;  ///< labels of the stores used
  /// Where each store that was built found its credentials, by label (for `check`).
  std::map<std::string, std::string> credentials;
  std::chrono::microseconds elapsed{0};
  std::optional<errc> worst;  ///< the most severe failure, if any failed
};

struct resolution_settings {
  std::chrono::milliseconds timeout{30'000};
  std::string timeout_text = "30s";  ///< as the user wrote it, for messages
  std::chrono::milliseconds cache_ttl{60'000};
};

/// The stores of a launch, built once and asked as often as its references are resolved:
/// once for exec mode, at every restart and refresh in supervise mode, where the stores keep
/// their connections, their cache entries and their login tokens (renewed before they
/// expire). Every value obtained, store credentials included, is added to `redact`.
class resolution_session {
 public:
  /// `reap` is the init's reaper when the launcher supervises: the stores' helper programs
  /// (the Azure CLI) are reaped through it.
  resolution_session(asio::io_context& io, const store_catalogue& stores, const environment& env,
                     const resolution_settings& settings, redactor& redact, reaper* reap = nullptr);
  ~resolution_session();
  resolution_session(const resolution_session&) = delete;
  resolution_session& operator=(const resolution_session&) = delete;

  /// Resolves `refs` (which may be empty: then nothing runs) under one deadline, --timeout
  /// from now. Work a store left behind at the deadline is abandoned. `fresh` reads every
  /// value from its store, even one the cache holds.
  asio::awaitable<resolution_run> resolve(std::vector<bound_reference> refs, bool fresh = false);

  /// As `resolve`, running the io_context until it is done (before anything else runs on it).
  resolution_run resolve_now(std::vector<bound_reference> refs);

 private:
  struct parts;
  asio::io_context& io_;
  std::unique_ptr<parts> p_;
};

/// The io_context of a launcher that resolves again (supervise mode), with the session on
/// it; the supervisor runs on the same io_context.
struct resolution_home {
  resolution_home(const store_catalogue& stores, const environment& env,
                  const resolution_settings& settings, redactor& redact)
      : session(io, stores, env, settings, redact, &reap) {}
  asio::io_context io{1};
  reaper reap{io.get_executor()};  // the supervisor's, and the stores' helper programs'
  resolution_session session;      // destroyed before the io_context its sockets are on
};

/// One resolution on an io_context and stores of its own.
resolution_run run_resolution(std::vector<bound_reference> refs, const store_catalogue& stores,
                              const environment& env, const resolution_settings& settings,
                              redactor& redact);

/// Logs one error line per failed reference: "WHERE: REFERENCE: store 'S': REASON".
void report_failures(const resolution_run& run);

}  // namespace mcpl
