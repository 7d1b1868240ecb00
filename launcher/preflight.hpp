// What would stop a launch after its references are resolved, found before the exec (and by
// `check`, which execs nothing): a command that cannot be found (127) or run (126), a
// definition whose command is the launcher itself (78: it would start itself again, a
// thousand times a second), a cwd that is not a directory (78).
#pragma once

#include <string>

#include "core/result.hpp"
#include "launcher/plan.hpp"

namespace mcpl {

/// Checks `command` as it will be exec'd: looked up on `search_path` (the child's PATH) from
/// the current directory, and, when `plan` comes from a definition, not the launcher.
result<void> check_command(const launch_plan& plan, const std::string& command,
                           const std::string& search_path);

/// For `check`: the same, and the cwd, for the parts of `plan` that hold no reference (a
/// command or cwd built from a secret is not looked at). Relative paths count from the cwd.
result<void> check_plan(const launch_plan& plan, const std::string& launcher_path_variable);

}  // namespace mcpl
