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

/// Resolves, then execs the child (DESIGN §6) — or supervises it (§8), or bridges to a remote
/// server (§9). Returns an exit code only when it does not exec.
int run_launch(const app_context& app);

/// What a launch starts once its references are resolved.
struct prepared_child {
  exec_request exec;
  std::string cwd;  ///< "" to stay where the launcher is
};

/// Renders the plan's command, arguments, environment (without what the launcher consumed,
/// nor, when supervising, NOTIFY_SOCKET and WATCHDOG_*, unless kept) and cwd with the values
/// of `run`. Fails with errc::content for a NUL byte that an argument or variable cannot
/// carry, errc::internal for a memfd that cannot be made.
result<prepared_child> prepare_child(const app_context& app, const launch_plan& plan,
                                     const resolution_run& run);

/// True when the launch supervises its child instead of exec'ing it: --supervise, or the
/// launcher is PID 1 (a container's entrypoint) and --exec does not say otherwise.
bool supervising(const options& o);

/// Supervise mode (DESIGN §8): starts the child and stays as its init until it exits for
/// good; returns its exit code, or 128+N when signal N ended it. `values` are the resolved
/// values of the plan's references, in order (--refresh compares them); `home` resolved
/// them, and resolves them again at restarts and refreshes, on its io_context.
int run_supervise(const app_context& app, const launch_plan& plan, const prepared_child& child,
                  std::vector<std::string> values, resolution_home& home);

/// `check`: resolves and reports each reference; starts nothing.
int run_check(const app_context& app);

/// `read`: prints the values of the given references, one per line.
int run_read(const app_context& app);

/// `list`: the servers and stores the loaded config files define, and the files.
int run_list(const app_context& app);

}  // namespace mcpl
