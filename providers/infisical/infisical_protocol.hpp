// Infisical's secrets and universal-auth wire protocol as pure functions (PROTOCOLS.md,
// Infisical's API reference). No I/O here.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "platform/http/http.hpp"
#include "providers/http/oauth.hpp"
#include "providers/provider.hpp"

namespace mcpl {

struct infisical_settings {
  std::string site_url = "https://app.infisical.com";  ///< without trailing '/'
  std::string access_token;                            ///< or, for universal auth:
  std::string client_id, client_secret;
  std::string project_id, environment;
  std::string secret_path = "/";
  std::string ca_file;
  std::vector<std::string> consumed_env;
};

/// Reads an `infisical` store's configuration. `accessToken` defaults from INFISICAL_TOKEN,
/// `clientId`/`clientSecret` from INFISICAL_UNIVERSAL_AUTH_CLIENT_ID/_SECRET (the CLI's
/// names). Fails with errc::config naming the field.
result<infisical_settings> parse_infisical_settings(const nlohmann::json& configuration,
                                                    const environment& env);

/// An identifier: "KEY", "KEY?version=N", or "/folder/KEY" (the folder replaces the store's
/// secretPath).
struct infisical_secret {
  std::string name;
  std::string path;
  std::string version;
};
result<infisical_secret> parse_infisical_identifier(const std::string& identifier,
                                                    const infisical_settings& s);

/// POST {siteUrl}/api/v1/auth/universal-auth/login {clientId, clientSecret}.
http_request infisical_login_request(const infisical_settings& s);

/// The access token of a login response and its lifetime (expiresIn), or the error it means.
result<token_answer> parse_infisical_login(int status, const std::string& body);

/// GET {siteUrl}/api/v3/secrets/raw/{name}?workspaceId&environment&secretPath[&version].
http_request infisical_read_request(const infisical_settings& s, const infisical_secret& secret,
                                    const std::string& token);

/// The value of a read response, or the error it means.
result<std::string> parse_infisical_read(int status, const std::string& body);

/// GET {siteUrl}/api/v3/secrets/raw?workspaceId&environment&secretPath: a folder in one call.
http_request infisical_list_request(const infisical_settings& s, const std::string& path,
                                    const std::string& token);

/// Key → value of the folder's own shared secrets (imports are not included), or the error.
result<std::map<std::string, std::string>> parse_infisical_list(int status,
                                                                const std::string& body);

}  // namespace mcpl
