#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mcpl {

/// Puts `value` in an anonymous in-memory file (memfd_create), sealed against writes,
/// growth, shrinking and further seals, and returns a path that opens it: /proc/PID/fd/N.
/// The descriptor is deliberately not close-on-exec, so the path stays valid in the child
/// that exec makes of this process, and its descendants can open it for the child's
/// lifetime. Nothing touches a disk. Fails with errc::internal.
result<std::string> make_memfd_secret(std::string_view value);

}  // namespace mcpl
