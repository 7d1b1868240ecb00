// Azure Key Vault's REST API and Microsoft Entra ID's token endpoints as pure functions
// (PROTOCOLS.md; the Key Vault and Microsoft identity platform references): settings and
// the choice of credential, secret identifiers, the secret read and its answer, and the
// token requests of client secrets, workload identity and managed identity. No I/O here.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "platform/certificate.hpp"
#include "platform/http/http.hpp"
#include "providers/provider.hpp"

namespace mcpl {

struct azure_settings {
  enum class kind {
    client_secret,
    client_certificate,
    workload_identity,
    app_service,
    instance_metadata
  };
  std::string vault_url;  ///< https://NAME.vault.azure.net, no trailing '/'
  std::string resource;   ///< the Key Vault resource of the vault's cloud: https://vault.azure.net
  std::string authority_host;
  std::string ca_file;
  kind how = kind::client_secret;
  std::string tenant_id, client_id, client_secret;
  /// kind::client_certificate: the PEM text (`clientCertificate`), or the file that holds it
  /// (AZURE_CLIENT_CERTIFICATE_PATH: PEM or PKCS#12) and the password of either.
  std::string certificate_pem, certificate_path, certificate_password;
  client_certificate certificate;  ///< what those hold, opened by the store when it is made
  std::string federated_token_file;                ///< kind::workload_identity
  std::string identity_endpoint, identity_header;  ///< kind::app_service
  std::string imds_endpoint;                       ///< kind::instance_metadata
  std::string origin;  ///< where the credentials come from, for messages and `check`
  std::vector<std::string> consumed_env;
};

/// Reads the configuration (`vaultUrl`, `tenantId`, `clientId`, `clientSecret`,
/// `clientCertificate`, `clientCertificatePassword`, `authorityHost`, `caFile`) with
/// AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH and
/// _PASSWORD, AZURE_AUTHORITY_HOST as defaults, and decides the credential in
/// DefaultAzureCredential's order: a client secret, else a client certificate, else workload
/// identity (AZURE_FEDERATED_TOKEN_FILE), else managed identity (IDENTITY_ENDPOINT +
/// IDENTITY_HEADER, else IMDS, then the Azure CLI). Fails with errc::config naming what is
/// wrong or missing.
result<azure_settings> parse_azure_settings(const nlohmann::json& configuration,
                                            const environment& env);

/// The Key Vault resource a vault host belongs to: sovereign clouds have their own.
std::string key_vault_resource(const std::string& vault_host);

/// True for a host under a known cloud's Key Vault or managed HSM domain: where a Key Vault
/// token may go without `trustVaultHost`.
bool is_key_vault_host(const std::string& host);

/// "name" or "name/VERSION".
struct azure_secret {
  std::string name;
  std::string version;
};
result<azure_secret> parse_azure_identifier(const std::string& identifier);

/// GET {vaultUrl}/secrets/{name}[/{version}]?api-version=7.4 with the bearer token.
http_request azure_secret_request(const azure_settings& s, const azure_secret& secret,
                                  const std::string& token);

/// The secret's value, or the error Key Vault's answer means.
result<std::string> parse_azure_secret(int status, const std::string& body);

/// POST {authorityHost}/{tenant}/oauth2/v2.0/token, client_credentials with the secret, or
/// with `assertion` (the federated token, or the certificate's signed assertion).
http_request entra_token_request(const azure_settings& s, const std::string& assertion);

/// Managed identity: App Service / Container Apps' IDENTITY_ENDPOINT, or IMDS.
http_request managed_identity_request(const azure_settings& s);

}  // namespace mcpl
