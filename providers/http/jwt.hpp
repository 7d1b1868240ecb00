// A signed JSON Web Token (RFC 7519, compact form): what Google's JWT bearer grant, Entra
// ID's certificate credentials and an OAuth client's private_key_jwt all send.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mcpl {

/// base64url(header) "." base64url(claims) "." base64url(signature), signed with `pem_key` by
/// the header's "alg": RS256, PS256 or ES256. Fails as the signer does (errc::config for a
/// key of the wrong kind), the message never holding the key; errc::internal for any other
/// algorithm.
result<std::string> signed_jwt(const nlohmann::json& header, const nlohmann::json& claims,
                               std::string_view pem_key);

}  // namespace mcpl
