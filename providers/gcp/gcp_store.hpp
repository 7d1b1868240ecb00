// The `gcp_secret_manager` store: reads secret versions with a token obtained once per
// launch, from a service account key (JWT bearer grant) or the metadata server.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "providers/provider.hpp"

namespace mcpl {

/// Builds the store from its configuration (references already resolved), reading the key
/// file GOOGLE_APPLICATION_CREDENTIALS names when the configuration has no key. Fails with
/// errc::config for a bad configuration or key.
result<std::unique_ptr<provider>> make_gcp_store(const nlohmann::json& configuration,
                                                 const provider_context& ctx);

}  // namespace mcpl
