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

/// The files exec_command tries for `command`, in order: itself when it holds a '/', else
/// DIR/command for each entry of `search_path` (the system default when empty; an empty
/// entry is ".").
std::vector<std::string> candidates(const std::string& command, const std::string& search_path);

/// What an exec of `command` that failed with `err` (an errno) means: errc::command_not_found
/// for ENOENT, else errc::cannot_execute, with the reason.
error exec_failure(const std::string& command, int err);

/// Where exec_command would find `command`, without running it: the path of the first
/// regular, executable file on `search_path` (the child's PATH; empty means the system
/// default), or `command` itself when it holds a '/'. Fails as exec_command would:
/// errc::command_not_found when nothing of that name exists, errc::cannot_execute when only
/// files that cannot be executed do.
result<std::string> locate_command(const std::string& command, const std::string& search_path);

/// True when `path` names the running executable (/proc/self/exe): a definition whose
/// command is the launcher itself would start it again, and again.
bool is_this_executable(const std::string& path);

/// The core-file limit the launcher inherited, to hand back to the child.
struct core_limit {
  unsigned long long soft = 0;
  unsigned long long hard = 0;
};

/// Makes the process unfit to leak what it will hold, in every mode and before any secret
/// is read: PR_SET_DUMPABLE 0 (no ptrace attach or /proc/PID/mem read by other processes of
/// the user, no core dump) and a soft RLIMIT_CORE of 0 (no core file even where
/// suid_dumpable would write one). Returns the inherited core limit: resource limits
/// survive execve, so `restore_core_limit` gives it back just before exec, while exec itself
/// restores the dumpable flag for the child.
result<core_limit> harden_process();

/// Puts back the core-file limit `harden_process` returned.
result<void> restore_core_limit(const core_limit& limit);

/// Changes the working directory, for a definition's `cwd`. Fails with errc::config.
result<void> change_directory(const std::string& dir);

}  // namespace mcpl
