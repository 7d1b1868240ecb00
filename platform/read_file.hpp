#pragma once

#include <string>

#include "core/result.hpp"

namespace mcpl {

/// Reads the exact bytes of the file at `path` (at most 16 MiB) without trimming anything.
/// Fails with errc::not_found (missing), errc::refused (permission denied), errc::config
/// (a directory, too large) or errc::unavailable (I/O error); messages name the path.
result<std::string> read_secret_file(const std::string& path);

}  // namespace mcpl
