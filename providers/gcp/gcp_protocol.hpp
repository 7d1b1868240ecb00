// GCP Secret Manager's REST API and Google's authentication as pure functions
// (PROTOCOLS.md; Secret Manager's and Google OAuth 2.0's references): settings and service
// account keys, resource names, the access request and its answer (base64 payload, CRC32C),
// the JWT bearer grant and the metadata server's requests. No I/O here.
#pragma once

#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "platform/http/http.hpp"
#include "providers/gcp/gcp_credentials.hpp"
#include "providers/provider.hpp"

namespace mcpl {

struct gcp_settings {
  std::string project_id;  ///< configuration, else the key's; may stay empty (metadata)
  std::string endpoint;    ///< base URL, no trailing '/'
  std::string ca_file;
  gcp_credential source;                          ///< the first token's credential
  std::vector<gcp_impersonation> impersonations;  ///< then each of these, in order
  std::string quota_project;                      ///< sent as x-goog-user-project when not empty
  std::string metadata_url;  ///< http://169.254.169.254, or GCE_METADATA_HOST's
  std::vector<std::string> consumed_env;
};

/// The credentials file of Application Default Credentials, as google-auth finds it: the
/// one GOOGLE_APPLICATION_CREDENTIALS names, else gcloud's well-known file
/// ($CLOUDSDK_CONFIG/application_default_credentials.json, by default under
/// ~/.config/gcloud/). `text` is read by the caller; a well-known file that does not
/// exist leaves it empty (then the metadata server).
struct gcp_adc_file {
  std::string path;      ///< "" when there is none to look for
  const char* variable;  ///< the variable that named it, or nullptr for the well-known file
  std::string text;
};
gcp_adc_file gcp_adc_file_path(const environment& env);

/// Reads the configuration (`projectId`, `serviceAccountKey` as a JSON string or object,
/// `impersonateServiceAccount`, `iamCredentialsEndpoint`, `endpoint`, `caFile`); `adc` is
/// used when the configuration has no key. Fails with errc::config naming what is wrong;
/// never quotes a credential.
result<gcp_settings> parse_gcp_settings(const nlohmann::json& configuration, const environment& env,
                                        const gcp_adc_file& adc);

/// `projects/P/secrets/S/versions/V`, `projects/P/secrets/S` or `S` (version `latest`).
struct gcp_secret {
  std::string project;  ///< empty: the store's project
  std::string secret;
  std::string version = "latest";
};
result<gcp_secret> parse_gcp_identifier(const std::string& identifier);

/// GET {endpoint}/v1/projects/P/secrets/S/versions/V:access with the bearer token (and the
/// quota project).
http_request gcp_access_request(const gcp_settings& s, const gcp_secret& secret,
                                const std::string& project, const std::string& token);

/// The payload's bytes, its CRC32C checked; or the error Google's answer means.
result<std::string> parse_gcp_access(int status, const std::string& body);

/// The RS256-signed assertion of the JWT bearer grant: iss = the key's client_email, scope
/// cloud-platform, aud = its token_uri, an hour from `now`, kid = private_key_id.
result<std::string> gcp_assertion(const gcp_service_account& key,
                                  std::chrono::system_clock::time_point now);

/// POST token_uri: grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=…
http_request gcp_token_request(const gcp_service_account& key, const std::string& assertion);

/// The metadata server's default service account token and project id, with
/// Metadata-Flavor: Google.
http_request gcp_metadata_token_request(const std::string& metadata_url);
http_request gcp_metadata_project_request(const std::string& metadata_url);

}  // namespace mcpl
