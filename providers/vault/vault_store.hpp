// The `hashicorp_vault` store: KV v2 reads with a token, or after one AppRole or Kubernetes
// login per launch.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "providers/provider.hpp"

namespace mcpl {

/// Builds the store from its configuration (references already resolved). Fails with
/// errc::config for a bad configuration, or when no token can be found.
result<std::unique_ptr<provider>> make_vault_store(const nlohmann::json& configuration,
                                                   const provider_context& ctx);

}  // namespace mcpl
