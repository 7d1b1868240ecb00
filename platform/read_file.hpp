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

/// Checks that `dir` is a directory only its owner can enter, as ssh wants of ~/.ssh: fails
/// with errc::config naming it and the fix ("mkdir -m 700 …", "chmod 700 …") when it is
/// missing, not a directory, or open to group or others.
result<void> check_private_directory(const std::string& dir);

}  // namespace mcpl
