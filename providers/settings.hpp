// Reading a store's configuration: string fields that may default from the launcher's
// environment, as VAULT_ADDR or INFISICAL_TOKEN do.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "providers/provider.hpp"

namespace mcpl {

/// `configuration[field]` when present (it must then be a non-empty string, else
/// errc::config naming it); else the environment variable `var` when set and not empty (its
/// name is added to `consumed`, when given: a credential the child must not get); else "".
result<std::string> setting(const nlohmann::json& configuration, const char* field,
                            const environment& env, const char* var = nullptr,
                            std::vector<std::string>* consumed = nullptr);

/// `token` without the line break (and spaces) a file or `echo` leaves at its end, as the
/// vault CLI reads ~/.vault-token. Tokens never end in whitespace.
std::string trim_token(std::string token);

}  // namespace mcpl
