// Configuration files (DESIGN §3): secret stores, server definitions in every MCP client's
// format, and the cache TTL. Loading is done once, at the edge, into these plain structs.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "providers/provider.hpp"
#include "resolver/stores.hpp"

namespace mcpl {

/// A string from a config file and where it stands, for messages.
struct located {
  std::string value;
  std::string where;  ///< "FILE: mcpServers.github.env.TOKEN"
};

/// OAuth client credentials of a remote server (DESIGN §9): a secret or a private key.
struct oauth_def {
  std::string where;  ///< "FILE: mcpServers.x.oauth"
  std::optional<located> client_id;
  std::optional<located> client_secret;
  std::optional<located> private_key;        ///< a PEM, for private_key_jwt
  std::optional<located> signing_algorithm;  ///< RS256 or ES256; from the key when absent
  std::vector<std::string> scopes;
};

/// One server definition, stdio or remote.
struct server_def {
  std::string name;
  std::string where;  ///< "FILE: mcpServers.github"
  bool remote = false;
  std::optional<located> command;
  std::vector<located> args;
  std::vector<std::pair<std::string, located>> env;  ///< in file order
  std::optional<located> cwd;
  std::optional<located> url;
  std::string transport = "auto";  ///< remote: auto, streamable-http or sse (from `type`)
  std::vector<std::pair<std::string, located>> headers;  ///< remote, in file order
  std::optional<oauth_def> oauth;
  /// Unknown fields of this definition ("FILE: mcpServers.x: unknown field 'enviroment'
  /// (did you mean 'env'?)"), said at warn level when it is the one launched.
  std::vector<std::string> notes;
};

struct config {
  std::vector<store_spec> stores;
  std::map<std::string, server_def> servers;
  /// Entries of the servers' maps that are not ours to launch or do not fit (a Zed
  /// extension server, a disabled one, a malformed one): name → why, said only when that
  /// name is the one asked for.
  std::map<std::string, std::string> skipped;
  std::optional<std::chrono::milliseconds> cache_ttl;
  std::vector<std::string> files;  ///< what was loaded, in order
};

/// Parses one config document, JSON or JSONC (comments, trailing commas). `origin` names it
/// in messages (a path, or $MCP_LAUNCH_CONFIG_JSON). Fails with errc::config: "ORIGIN: line
/// L, column C: …" for bad JSON, "ORIGIN: FIELD: …" for a wrong type or name in a store or
/// mapping. A server entry that does not fit goes to `skipped`, not to a failure: the
/// selected definition is checked strictly when it is selected. Unknown fields of stores and
/// mappings get a warn line naming the closest known field; a client's other keys are
/// ignored (debug).
result<config> parse_config(std::string_view text, const std::string& origin);

/// Where config comes from: explicit files, else the environment's defaults (DESIGN §2).
struct config_sources {
  std::vector<std::string> files;  ///< -c/--config, in order
};

/// Loads and merges every config the sources name; later files win by name. With no
/// explicit file and none of the defaults present, returns an empty config: wrap mode
/// needs none. Fails with errc::config for a file that is named but cannot be read.
result<config> load_config(const config_sources& sources, const environment& env);

/// Expands the host clients' variable forms (DESIGN §3) in a literal: `${env:NAME}` (VS Code:
/// empty when unset), `${NAME}` and `${NAME:-default}` (Claude Code: an unset `${NAME}` is an
/// error). `${input:ID}` is an error naming the input. Fails with errc::config. The names
/// of the variables it read are appended to `used`, when given.
result<std::string> expand_host_variables(std::string_view text, const environment& env,
                                          std::vector<std::string>* used = nullptr);

}  // namespace mcpl
