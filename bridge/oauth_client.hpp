// The OAuth 2.1 client-credentials token request of the bridge (DESIGN §9): the client
// authenticates with a secret (client_secret_basic or client_secret_post, as the server's
// metadata allows) or with a private key (private_key_jwt, RFC 7523: an RS256 or ES256
// assertion); the request names the MCP server as its `resource` (RFC 8707). Pure, but for
// the signature's randomness.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "bridge/oauth_discovery.hpp"
#include "platform/http/http.hpp"

namespace mcpl {

struct client_credentials {
  std::string client_id;
  std::string client_secret;      ///< or:
  std::string private_key;        ///< a PEM, for private_key_jwt
  std::string signing_algorithm;  ///< RS256 or ES256; "" means the key's own
  std::vector<std::string> scopes;
};

/// The authentication method the client uses with `as`: "private_key_jwt" with a key;
/// with a secret "client_secret_basic" unless the metadata lists only "client_secret_post"
/// (RFC 8414: basic when it lists none). Fails with errc::config when the server takes none
/// of the methods the client can use.
result<std::string> choose_auth_method(const client_credentials& c, const authorization_server& as);

/// The signed client assertion of private_key_jwt: iss and sub the client id, aud the
/// authorization server's issuer (RFC 7523bis), a five-minute lifetime, a random jti.
result<std::string> client_assertion(const client_credentials& c, const std::string& issuer,
                                     std::chrono::system_clock::time_point now);

/// The token request: grant_type=client_credentials, `resource`, `scopes` (space-separated,
/// none when empty), the client's authentication. Fails as choose_auth_method and
/// client_assertion do.
result<http_request> token_request(const client_credentials& c, const authorization_server& as,
                                   const std::string& resource,
                                   const std::vector<std::string>& scopes,
                                   std::chrono::system_clock::time_point now);

}  // namespace mcpl
