// The `infisical` store: secrets read with an access token, or after one universal-auth
// login per launch; several keys of one folder come from one list request.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "providers/provider.hpp"

namespace mcpl {

/// Builds the store from its configuration (references already resolved). Fails with
/// errc::config naming a bad or missing field.
result<std::unique_ptr<provider>> make_infisical_store(const nlohmann::json& configuration,
                                                       const provider_context& ctx);

}  // namespace mcpl
