#pragma once

#include "providers/provider.hpp"

namespace mcpl {

/// Builds the provider for a store `type` from its resolved `configuration`. Fails with
/// errc::config for a missing or ill-typed field, or a type this build does not carry yet.
result<std::unique_ptr<provider>> make_provider(const std::string& type,
                                                const nlohmann::json& configuration,
                                                const provider_context& ctx);

}  // namespace mcpl
