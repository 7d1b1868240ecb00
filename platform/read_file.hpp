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

/// As read_secret_file, for the file `name` inside `dir`, which it may not leave: a name that
/// resolves outside `dir` — through a symbolic link, relative or absolute — fails with
/// errc::config. Links that stay inside are followed (Kubernetes' secret volumes).
result<std::string> read_secret_file_beneath(const std::string& dir, const std::string& name,
                                             struct stat* info = nullptr);

namespace detail {
/// read_secret_file_beneath as it works on kernels without openat2 (Linux before 5.6): named
/// here for its test.
result<std::string> read_secret_file_beneath_by_path(const std::string& dir,
                                                     const std::string& name);
}  // namespace detail

/// Checks that `dir` is a directory only its owner can enter, as ssh wants of ~/.ssh: fails
/// with errc::config naming it and the fix ("mkdir -m 700 …", "chmod 700 …") when it is
/// missing, not a directory, or open to group or others.
result<void> check_private_directory(const std::string& dir);

}  // namespace mcpl
