// Who may change or read a config file (DESIGN §3): a file that someone else can write can
// point a store's address elsewhere and collect the credentials sent to it, so it is
// refused, as sshd's StrictModes refuses an authorized_keys file; a file with inline
// credentials that others can read gets a warning, as ssh gives for a private key.
#pragma once

#include <sys/stat.h>

#include <string>

#include "core/result.hpp"
#include "launcher/config.hpp"

namespace mcpl {

/// Fails with errc::config, naming the file and the fix, when the file read as `path`
/// (`st`: fstat of the descriptor that was read) is writable by group or others, is owned
/// by a user other than this one or root, or sits in a directory that group or others can
/// write without the sticky bit; in a sticky directory (/tmp) it must be this user's or
/// root's.
result<void> check_config_permissions(const std::string& path, const struct stat& st);

/// Logs a warning naming the file when `cfg` holds inline credentials and `st` lets group
/// or others read it.
void warn_if_exposed(const std::string& path, const struct stat& st, const config& cfg);

}  // namespace mcpl
