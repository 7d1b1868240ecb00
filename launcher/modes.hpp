// The things mcp-launch can do once its options and configuration are read.
#pragma once

#include <cstdio>
#include <memory>
#include <string_view>

#include "launcher/config.hpp"
#include "launcher/options.hpp"
#include "launcher/plan.hpp"
#include "launcher/resolution.hpp"
#include "platform/process.hpp"
#include "platform/signals.hpp"
#include "resolver/redactor.hpp"

namespace mcpl {

/// Writes `text` to stdout and flushes it: only `check`, `list`, `read` and `completion`
/// do, and they start no child, so stdout is theirs. False when stdout would not take it.
inline bool write_stdout(std::string_view text) {
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && std::fflush(stdout) == 0;
}

/// Everything read at the edge, once.
struct app_context {
  options opts;
  environment env;
  signal_state inherited_signals;
  core_limit inherited_core_limit;
  std::shared_ptr<redactor> redact;
  resolution_settings settings;
  config cfg;
  const store_catalogue* stores = nullptr;
};

/// Resolves, then execs the child (DESIGN §6). Returns an exit code only on failure.
int run_launch(const app_context& app);

/// `check`: resolves and reports each reference; starts nothing.
int run_check(const app_context& app);

/// `read`: prints the values of the given references, one per line.
int run_read(const app_context& app);

/// `list`: the servers and stores the loaded config files define, and the files.
int run_list(const app_context& app);

}  // namespace mcpl
