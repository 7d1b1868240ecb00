#pragma once

#include <sys/stat.h>

#include <string>

#include "core/result.hpp"

namespace mcpl {

/// Reads the exact bytes of the file at `path` (at most 16 MiB) without trimming anything.
/// Fails with errc::not_found (missing), errc::refused (permission denied), errc::config
/// (a directory, too large) or errc::unavailable (I/O error); messages name the path.
/// When `info` is given, it receives what fstat said of the descriptor that was read: the
/// file whose permissions count is the one whose bytes were used, not whatever a later
/// stat(2) of the name finds.
result<std::string> read_secret_file(const std::string& path, struct stat* info = nullptr);

}  // namespace mcpl
