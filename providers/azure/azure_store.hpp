// The `azure_key_vault` store: reads secrets with a token from Microsoft Entra ID (a client
// secret or workload identity) or a managed identity, renewed before it expires.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "providers/provider.hpp"

namespace mcpl {

/// Builds the store from its configuration (references already resolved). Fails with
/// errc::config for a bad or incomplete configuration.
result<std::unique_ptr<provider>> make_azure_store(const nlohmann::json& configuration,
                                                   const provider_context& ctx);

}  // namespace mcpl
