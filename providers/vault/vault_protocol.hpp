// HashiCorp Vault's KV v2 and login wire protocol as pure functions (PROTOCOLS.md, Vault's
// HTTP API reference): requests built from settings, responses parsed into values or
// errors. No I/O here.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "platform/http/http.hpp"
#include "providers/http/oauth.hpp"
#include "providers/provider.hpp"

namespace mcpl {

struct vault_settings {
  enum class method { token, approle, kubernetes };
  std::string address;  ///< base URL without trailing '/'
  std::string ns;       ///< X-Vault-Namespace, may be empty
  std::string mount = "secret";
  std::string ca_file;
  method auth = method::token;
  std::string token;       ///< method::token: the token, when known from config or env
  std::string token_file;  ///< method::token without a token: ~/.vault-token
  std::string auth_mount;  ///< approle / kubernetes
  std::string role_id, secret_id;
  std::string role, jwt_file;
  std::vector<std::string> consumed_env;
};

/// Reads a `hashicorp_vault` store's configuration, defaulting from VAULT_ADDR,
/// VAULT_NAMESPACE, VAULT_CACERT and VAULT_TOKEN (then $HOME/.vault-token). Fails with
/// errc::config naming the field.
result<vault_settings> parse_vault_settings(const nlohmann::json& configuration,
                                            const environment& env);

/// A KV v2 identifier: "path/within/mount" with an optional "?version=N".
struct kv2_secret {
  std::string path;
  std::string version;  ///< digits, or empty for the latest
};
result<kv2_secret> parse_kv2_identifier(const std::string& identifier);

/// GET {address}/v1/{mount}/data/{path}[?version=N] with the token and namespace headers.
http_request kv2_read_request(const vault_settings& s, const kv2_secret& secret,
                              const std::string& token);

/// The secret's key/value map as compact JSON, from a KV v2 read's status and body; or the
/// error Vault's answer means (404 not found, 403 refused, 429/5xx unavailable).
result<std::string> parse_kv2_response(int status, const std::string& body, const vault_settings& s,
                                       const kv2_secret& secret);

/// What a reference without a selector yields from a key/value map: the value of its only
/// key; errc::content listing the key names when there are several.
result<std::string> kv2_single_value(const std::string& map_json);

/// POST {address}/v1/auth/{mount}/login for AppRole or Kubernetes; `jwt` is the service
/// account token read from `s.jwt_file` (Kubernetes only).
http_request vault_login_request(const vault_settings& s, const std::string& jwt);

/// The client token of a login response and its TTL (auth.lease_duration), or the error it
/// means.
result<token_answer> parse_vault_login(int status, const std::string& body);

}  // namespace mcpl
