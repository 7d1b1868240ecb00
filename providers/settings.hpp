// What stores share in reading their configuration (string fields that may default from the
// launcher's environment, as VAULT_ADDR or INFISICAL_TOKEN do) and their identifiers.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
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

/// The launcher's environment variable `name`, or "" when it is not set.
std::string env_value(const environment& env, const char* name);

/// True when `s` is not empty, is not "." or "..", and holds only ASCII letters, digits and
/// the characters of `extra`: what a part of an identifier (a secret, project or tenant
/// name) may hold before it goes into a URL.
bool is_plain_name(std::string_view s, const char* extra);

/// Why `path` (an identifier or a part of one that becomes path segments of a store's URL)
/// cannot go into a URL: a control character, or a "." or ".." segment that a server
/// would resolve to another path. Nothing when it can.
std::optional<std::string> path_problem(std::string_view path);

/// An identifier split at its "?version=N" qualifier (Vault, Infisical): the rest, and the
/// version's digits ("" when there is none). Any other qualifier is an errc::config error.
struct versioned_identifier {
  std::string name;
  std::string version;
};
result<versioned_identifier> split_version(const std::string& identifier);

/// `token` without the line break (and spaces) a file or `echo` leaves at its end, as the
/// vault CLI reads ~/.vault-token. Tokens never end in whitespace.
std::string trim_token(std::string token);

}  // namespace mcpl
