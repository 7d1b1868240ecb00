#include "providers/registry.hpp"

#include <nlohmann/json.hpp>

#include "platform/read_file.hpp"
#include "providers/aws/aws_store.hpp"
#include "providers/azure/azure_store.hpp"
#include "providers/gcp/gcp_store.hpp"
#include "providers/infisical/infisical_store.hpp"
#include "providers/local/env_store.hpp"
#include "providers/local/file_store.hpp"
#include "providers/settings.hpp"
#include "providers/vault/vault_store.hpp"

namespace mcpl {

namespace {

// The per-user directory of the `file` store when neither the configuration nor systemd
// names one: $XDG_CONFIG_HOME/mcp-launch/secrets, ~/.config/mcp-launch/secrets. An MCP
// client starts its servers with little more than PATH and HOME, so this is what a laptop
// uses.
std::string user_secrets_directory(const environment& env) {
  std::string config = env_value(env, "XDG_CONFIG_HOME");
  if (config.empty() || config.front() != '/') {
    std::string home = env_value(env, "HOME");
    if (home.empty()) return "";
    config = home + "/.config";
  }
  return config + "/mcp-launch/secrets";
}

result<std::unique_ptr<provider>> make_file(const nlohmann::json& configuration,
                                            const environment& env) {
  auto directory = setting(configuration, "directory", env, "CREDENTIALS_DIRECTORY");
  if (!directory) return directory.err();
  if (!directory->empty()) return make_file_store(std::move(*directory));
  std::string own = user_secrets_directory(env);
  if (own.empty())
    return fail(errc::config,
                "no directory: set configuration.directory, run under systemd with "
                "LoadCredential= ($CREDENTIALS_DIRECTORY), or set HOME for "
                "~/.config/mcp-launch/secrets");
  if (auto r = check_private_directory(own); !r)
    return fail(errc::config,
                "no $CREDENTIALS_DIRECTORY or configuration.directory, and " + r.err().message);
  return make_file_store(std::move(own));
}

// `maxConnections`, which every network store takes: how many connections to its origin
// may be open at once (docs/design.md: connections per store).
result<std::size_t> max_connections(const nlohmann::json& configuration) {
  auto it = configuration.find("maxConnections");
  if (it == configuration.end()) return std::size_t{0};
  if (!it->is_number_unsigned() || it->get<std::uint64_t>() < 1 || it->get<std::uint64_t>() > 1024)
    return fail(errc::config, "configuration.maxConnections must be a whole number from 1 to 1024");
  return static_cast<std::size_t>(it->get<std::uint64_t>());
}

}  // namespace

result<std::unique_ptr<provider>> make_provider(const std::string& type,
                                                const nlohmann::json& configuration,
                                                const provider_context& shared) {
  if (type == "env") return make_env_store(*shared.env);
  if (type == "file") return make_file(configuration, *shared.env);
  if (type == "path") return make_path_store();
  auto limit = max_connections(configuration);
  if (!limit) return limit.err();
  provider_context ctx = shared;
  ctx.max_connections = *limit;
  if (type == "aws_secrets_manager") return make_aws_store(configuration, ctx);
  if (type == "azure_key_vault") return make_azure_store(configuration, ctx);
  if (type == "gcp_secret_manager") return make_gcp_store(configuration, ctx);
  if (type == "hashicorp_vault") return make_vault_store(configuration, ctx);
  if (type == "infisical") return make_infisical_store(configuration, ctx);
  return fail(errc::config, "store type '" + type + "' is not available in this build yet");
}

}  // namespace mcpl
