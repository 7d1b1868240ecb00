#pragma once

#include <memory>
#include <string>

#include "providers/provider.hpp"

namespace mcpl {

/// The `file` store: an identifier names a file inside `directory` (systemd's
/// $CREDENTIALS_DIRECTORY by default); the value is its exact bytes. Identifiers that are
/// absolute or contain a ".." component are refused (errc::config): they would leave the
/// directory.
std::unique_ptr<provider> make_file_store(std::string directory);

/// The `file.[PATH]` namespace: any path the launcher can read, relative to its working
/// directory.
std::unique_ptr<provider> make_path_store();

}  // namespace mcpl
