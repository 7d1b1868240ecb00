// The AWS credential sources a platform provides through the environment: a web identity
// token file (EKS IRSA), the ECS/EKS container endpoint, and EC2's instance metadata
// service. The default chain ends with them, and a profile's `credential_source` names one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "providers/aws/aws_settings.hpp"

namespace mcpl {

/// AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN (and AWS_ROLE_SESSION_NAME); nothing when
/// either is unset.
std::optional<aws_credential_source> web_identity_from_env(const environment& env);

/// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI with its authorization token (its
/// variable added to `consumed`); nothing when neither URI is set. Fails with errc::config for
/// a URI the SDKs would not use.
result<std::optional<aws_credential_source>> container_from_env(const environment& env,
                                                                std::vector<std::string>& consumed);

/// EC2's instance metadata service at AWS_EC2_METADATA_SERVICE_ENDPOINT (or the mode's
/// address). Fails with errc::config when AWS_EC2_METADATA_DISABLED is true.
result<aws_credential_source> imds_from_env(const environment& env);

/// The keys of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), their
/// variables added to `consumed`; nothing unless both are set.
std::optional<aws_credential_source> keys_from_env(const environment& env,
                                                   std::vector<std::string>& consumed);

}  // namespace mcpl
