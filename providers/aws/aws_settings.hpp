// An `aws_secrets_manager` store's settings: region, endpoints, trust, and where its
// credentials come from — decided once, from the configuration, the environment and the
// shared files, in the order of the AWS SDKs' default chain. No I/O here: the files'
// text comes in, and the network sources (STS, container, instance metadata, the SSO
// portal) are only named.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "providers/aws/shared_files.hpp"
#include "providers/aws/sigv4.hpp"
#include "providers/provider.hpp"

namespace mcpl {

/// A role assumed with STS AssumeRole, signed with the credentials before it in the chain.
struct aws_role_step {
  std::string role_arn;
  std::string session_name;  ///< "" for mcp-launch-<unix time>
  std::string external_id;
  int duration_seconds = 0;  ///< 0: STS's default (an hour)
  std::string origin;        ///< where it was configured, for messages
};

struct aws_credential_source {
  enum class kind { keys, web_identity, container, instance_metadata, sso };
  kind how = kind::keys;
  /// Where it was found, for messages: "configuration", "environment", "profile 'dev'", …
  std::string origin;
  aws_credentials keys;  ///< kind::keys
  /// kind::web_identity: the role, the file holding the OIDC token, the session name.
  std::string role_arn, token_file, session_name;
  /// kind::container: the credentials URL and its Authorization value (or the file holding
  /// it, read at each use: EKS Pod Identity rotates it).
  std::string uri, auth_token, auth_token_file;
  /// kind::instance_metadata: IMDS's base URL.
  std::string imds_endpoint;
  /// kind::sso: the token `aws sso login` cached (read at each use, never written), the
  /// portal's region, the account and role, and the command that logs in again.
  std::string sso_cache_file, sso_region, sso_account_id, sso_role_name, sso_login;
  /// Roles assumed on top, in order (source_profile chains, then the store's roleArn).
  std::vector<aws_role_step> roles;
};

struct aws_settings {
  std::string region;
  std::string endpoint;      ///< Secrets Manager's base URL, no trailing '/'
  std::string sts_endpoint;  ///< STS's, for web identity and assumed roles
  std::string sso_endpoint;  ///< the SSO portal's, "" for portal.sso.<sso_region>.amazonaws.com
  std::string ca_file;
  aws_credential_source credentials;
  std::vector<std::string> consumed_env;
};

/// Reads the configuration (`region`, `endpoint`, `stsEndpoint`, `ssoEndpoint`, `accessKeyId`,
/// `secretAccessKey`, `sessionToken`, `profile`, `roleArn`, `externalId`, `caFile`) with the AWS_*
/// variables and the shared files' profile as defaults. Fails with errc::config naming what is
/// wrong or missing.
result<aws_settings> parse_aws_settings(const nlohmann::json& configuration, const environment& env,
                                        const aws_shared_files& files);

}  // namespace mcpl
