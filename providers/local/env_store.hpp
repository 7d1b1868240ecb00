#pragma once

#include <memory>

#include "providers/provider.hpp"

namespace mcpl {

/// The `env` store: an identifier is a variable name of the launcher's environment. An unset
/// variable is a configuration error (errc::config); a set but empty one is the empty value.
std::unique_ptr<provider> make_env_store(const environment& env);

}  // namespace mcpl
