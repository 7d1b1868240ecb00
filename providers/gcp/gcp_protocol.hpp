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
#include "providers/provider.hpp"

namespace mcpl {

/// The fields of a service account key file that signing needs.
struct gcp_service_account {
  std::string client_email;
  std::string private_key;  ///< PEM
  std::string private_key_id;
  std::string token_uri;
  std::string project_id;
};

struct gcp_settings {
  std::string project_id;  ///< configuration, else the key's; may stay empty (metadata)
  std::string endpoint;    ///< base URL, no trailing '/'
  std::string ca_file;
  bool use_key = false;      ///< a service account key, else the metadata server
  gcp_service_account key;   ///< use_key
  std::string key_origin;    ///< "configuration.serviceAccountKey" or the key file's path
  std::string metadata_url;  ///< http://169.254.169.254, or GCE_METADATA_HOST's
  std::vector<std::string> consumed_env;
};

/// Reads the configuration (`projectId`, `serviceAccountKey` as a JSON string or object,
/// `endpoint`, `caFile`). `key_file` is the text of the file GOOGLE_APPLICATION_CREDENTIALS
/// names ("" when unset): used when the configuration has no key. Fails with errc::config
/// naming what is wrong; never quotes the key.
result<gcp_settings> parse_gcp_settings(const nlohmann::json& configuration, const environment& env,
                                        const std::string& key_file);

/// `projects/P/secrets/S/versions/V`, `projects/P/secrets/S` or `S` (version `latest`).
struct gcp_secret {
  std::string project;  ///< empty: the store's project
  std::string secret;
  std::string version = "latest";
};
result<gcp_secret> parse_gcp_identifier(const std::string& identifier);

/// GET {endpoint}/v1/projects/P/secrets/S/versions/V:access with the bearer token.
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
