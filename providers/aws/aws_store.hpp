// The `aws_secrets_manager` store: GetSecretValue, and BatchGetSecretValue for several
// secrets at once, signed with credentials obtained once and again before they expire.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "providers/provider.hpp"

namespace mcpl {

/// Builds the store from its configuration (references already resolved), reading the
/// shared AWS files. Fails with errc::config for a bad configuration, a missing region or
/// profile, or when no credential source can apply.
result<std::unique_ptr<provider>> make_aws_store(const nlohmann::json& configuration,
                                                 const provider_context& ctx);

}  // namespace mcpl
