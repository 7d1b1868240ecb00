// Google's credential files as google-auth reads them — a service account key, the
// `authorized_user` file `gcloud auth application-default login` writes, and the
// `impersonated_service_account` file it writes with --impersonate-service-account — and the
// two token exchanges they add to the JWT bearer grant: the refresh-token grant, and IAM
// Credentials' generateAccessToken. Pure functions; no I/O here.
#pragma once

#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "platform/http/http.hpp"
#include "providers/http/oauth.hpp"

namespace mcpl {

/// The fields of a service account key file that signing needs.
struct gcp_service_account {
  std::string client_email;
  std::string private_key;  ///< PEM
  std::string private_key_id;
  std::string token_uri;
  std::string project_id;
};

/// A user's OAuth client and refresh token (`authorized_user`).
struct gcp_authorized_user {
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;
  std::string token_uri;
};

/// Where a GCP store's first token comes from.
struct gcp_credential {
  enum class kind { service_account, authorized_user, metadata };
  kind how = kind::metadata;
  gcp_service_account key;   ///< kind::service_account
  gcp_authorized_user user;  ///< kind::authorized_user
  std::string origin;        ///< for messages and `check`
};

/// A service account impersonated with the token before it.
struct gcp_impersonation {
  std::string
      url;  ///< https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/E:generateAccessToken
  std::vector<std::string> delegates;  ///< projects/-/serviceAccounts/EMAIL, in order
  std::string origin;
};

/// A credentials file: its source credential, the impersonation it asks for, and the project
/// to bill quota to (`quota_project_id`, sent as x-goog-user-project).
struct gcp_credentials_file {
  gcp_credential source;
  std::vector<gcp_impersonation> impersonations;
  std::string quota_project;
};

/// Reads a credentials file's JSON (a key given in the configuration too). `origin` names
/// it in messages, which never quote a credential. Fails with errc::config.
result<gcp_credentials_file> parse_gcp_credentials(const nlohmann::json& j,
                                                   const std::string& origin);

/// The impersonation of service account `email` through `iam_endpoint` (a base URL).
gcp_impersonation gcp_impersonate(const std::string& iam_endpoint, const std::string& email,
                                  const std::string& origin);

/// POST token_uri: grant_type=refresh_token with the user's client and refresh token.
http_request gcp_refresh_request(const gcp_authorized_user& user);

/// POST the impersonation URL with `source_token`: {scope: [cloud-platform], delegates,
/// lifetime: 3600s}.
http_request gcp_impersonation_request(const gcp_impersonation& imp,
                                       const std::string& source_token);

/// {accessToken, expireTime} as a token with its lifetime from `now`; or the error Google's
/// answer means (403: the source may not impersonate the account).
result<token_answer> parse_impersonation_answer(int status, const std::string& body,
                                                std::chrono::system_clock::time_point now);

}  // namespace mcpl
