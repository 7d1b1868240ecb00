// Replacing the launcher with the child (DESIGN §6), and process-wide hardening.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"

namespace mcpl {

/// What to exec: argv[0] is looked up as execvp would, but in `search_path` (the child's
/// PATH) and never through a shell.
struct exec_request {
  std::vector<std::string> argv;
  std::vector<std::string> envp;  ///< "NAME=value"
  std::string search_path;        ///< the child's PATH; empty means the system default
};

/// Execs `req`; returns only on failure: errc::command_not_found (exit 127) when no file of
/// that name exists on the path, errc::cannot_execute (exit 126) when one exists but cannot
/// be executed (permission, not a binary: no shell fallback, ever).
error exec_command(const exec_request& req);

/// Sets PR_SET_DUMPABLE: 0 while the process holds secrets, so no core dump or ptrace
/// attach by other processes of the user can read them. exec restores it for the child.
result<void> set_dumpable(bool dumpable);

/// Changes the working directory, for a definition's `cwd`. Fails with errc::config.
result<void> change_directory(const std::string& dir);

}  // namespace mcpl
