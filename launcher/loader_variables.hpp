// The dynamic loader's variables (LD_LIBRARY_PATH, LD_PRELOAD, …) and the static launcher.
//
// The launcher is static, but glibc's getaddrinfo still dlopen()s the NSS modules that
// /etc/nsswitch.conf names beyond `files` and `dns` (mdns4_minimal, myhostname, resolve),
// and a static glibc copies LD_LIBRARY_PATH into dlopen's search list at start-up, before
// main: a module planted in a directory the variable names would run inside the process
// that holds the secrets. unsetenv() comes too late. So when any LD_* variable is set the
// launcher executes itself once more without them, carrying them under another name, and
// hands them back to the child, which is theirs to use.
#pragma once

#include <map>
#include <string>

namespace mcpl {

/// Prefix under which LD_* variables cross the re-execution: MCP_LAUNCH_HELD_LD_PRELOAD.
inline constexpr const char* kHeldPrefix = "MCP_LAUNCH_HELD_";

/// When the process environment holds an LD_* variable, execs /proc/self/exe with the same
/// arguments and each LD_NAME renamed kHeldPrefix + LD_NAME; returns only when none is set
/// or the exec failed (then says so on stderr: the launch goes on, with NSS modules
/// loadable from LD_LIBRARY_PATH). Call first thing in main: nothing has been read yet.
void reexec_without_loader_variables(char** argv);

/// `env` (the launcher's variables, read from environ) with every held variable put back
/// under its own name, for the child.
void release_loader_variables(std::map<std::string, std::string>& env);

}  // namespace mcpl
