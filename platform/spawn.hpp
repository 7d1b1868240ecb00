// Starting the child in supervise mode (DESIGN §8): fork and exec without a shell, with what
// an init must give it — its own process group (and the terminal's foreground), death with
// the launcher (PR_SET_PDEATHSIG), the signal mask and dispositions and the core limit the
// launcher inherited — and an exec failure reported through a close-on-exec pipe. Written
// by hand rather than with Boost.Process v2 (docs/design.md: Supervise).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "core/result.hpp"
#include "platform/process.hpp"
#include "platform/signals.hpp"

namespace mcpl {

struct spawn_options {
  exec_request exec;
  std::string cwd;          ///< "" keeps the launcher's
  signal_state signals;     ///< restored in the child before exec
  core_limit core;          ///< given back to the child
  int terminal = -1;        ///< the controlling terminal, when the child's group is to have it
  int stdin_fd = -1;        ///< the child's stdin instead of the launcher's, when >= 0
  int stdout_fd = -1;       ///< the child's stdout instead of the launcher's, when >= 0
  int stderr_fd = -1;       ///< the child's stderr instead of the launcher's, when >= 0
};

/// The text by which a path names the launcher's own process ("/proc/PID/"): in an argument
/// or variable of the child, spawn_child makes it name the child instead (a `| file` memfd,
/// inherited by the child, is then opened through the child's /proc entry: the launcher's
/// own is not readable by others, DESIGN §6).
std::string own_proc_prefix();

/// Starts `opts.exec` and returns the child's PID once exec succeeded. Fails as exec_command
/// does (errc::command_not_found 127, errc::cannot_execute 126) when it did not — that child
/// is reaped here — and with errc::internal when fork fails. The child does only
/// async-signal-safe work before exec: everything it needs is prepared first.
result<pid_t> spawn_child(const spawn_options& opts);

}  // namespace mcpl
