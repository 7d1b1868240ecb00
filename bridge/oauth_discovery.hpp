// How the bridge finds where to get an OAuth token for a remote MCP server (DESIGN §9): the
// 401's WWW-Authenticate challenge, the server's protected resource metadata (RFC 9728),
// and its authorization server's metadata (RFC 8414, then OpenID Connect discovery). Pure:
// the URLs to ask and what their answers mean.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mcpl {

/// The parameters of a `Bearer` challenge (RFC 6750 §3, RFC 9728 §5.1); "" when absent.
struct bearer_challenge {
  std::string error;              ///< invalid_token, insufficient_scope, …
  std::string resource_metadata;  ///< the protected resource metadata's URL
  std::string scope;
};

/// Reads the Bearer challenge of a WWW-Authenticate header (other schemes are skipped).
bearer_challenge parse_bearer_challenge(std::string_view header);

/// Where the protected resource metadata of the MCP server at `server_url` may be, in the
/// order to try: the well-known URI with the server's path, then at the root.
std::vector<std::string> resource_metadata_urls(const std::string& server_url);

/// Where the metadata of the authorization server `issuer` may be, in the order to try:
/// RFC 8414's, then OpenID Connect's (both ways of placing a path).
std::vector<std::string> authorization_server_metadata_urls(const std::string& issuer);

struct resource_metadata {
  std::string resource;  ///< the resource's identifier: what the token request names
  std::vector<std::string> authorization_servers;
  std::vector<std::string> scopes_supported;
};

/// Parses protected resource metadata and checks it is for `server_url`: its `resource`
/// must be the server's URL (without a query) or a path prefix of it on the same origin.
/// Fails with errc::refused (a server that names another resource is not to be trusted
/// with credentials) or errc::unavailable (not metadata).
result<resource_metadata> parse_resource_metadata(const std::string& body,
                                                  const std::string& server_url);

struct authorization_server {
  std::string issuer;
  std::string token_endpoint;
  std::vector<std::string> auth_methods;  ///< token_endpoint_auth_methods_supported
  std::vector<std::string> signing_algorithms;  ///< ..._auth_signing_alg_values_supported
};

/// Parses authorization server metadata; its `issuer` must be `issuer` (RFC 8414 §3.3).
result<authorization_server> parse_authorization_server(const std::string& body,
                                                        const std::string& issuer);

/// The server's URL without its query: the `resource` of a token request when the metadata
/// names none.
std::string resource_of(const std::string& server_url);

}  // namespace mcpl
