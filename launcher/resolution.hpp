// One resolution of a launch's references, on its own io_context, and the report of its
// failures (DESIGN §5: every failure on its own line, never a value).
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <vector>

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
  std::chrono::microseconds elapsed{0};
  std::optional<errc> worst;  ///< the most severe failure, if any failed
};

struct resolution_settings {
  std::chrono::milliseconds timeout{30'000};
  std::string timeout_text = "30s";  ///< as the user wrote it, for messages
  std::chrono::milliseconds cache_ttl{60'000};
};

/// Resolves `refs` (which may be empty: then nothing runs) under one deadline. Every value
/// obtained, store credentials included, is added to `redact`.
resolution_run run_resolution(std::vector<bound_reference> refs, const store_catalogue& stores,
                              const environment& env, const resolution_settings& settings,
                              redactor& redact);

/// Logs one error line per failed reference: "WHERE: REFERENCE: store 'S': REASON".
void report_failures(const resolution_run& run);

}  // namespace mcpl
