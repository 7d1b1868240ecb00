// A profile of AWS's shared files resolved to where its credentials come from, as the AWS
// SDKs resolve it (fromIni): keys; a role assumed from another profile's credentials
// (`source_profile`, chains of any length) or from the platform's (`credential_source`); a
// role assumed with a web identity token file; an IAM Identity Center (SSO) login, in the
// `sso_session` form and the legacy `sso_start_url` one. No I/O: the files' text comes in.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "providers/aws/aws_settings.hpp"
#include "providers/aws/shared_files.hpp"

namespace mcpl {

/// Profile `name`'s credential source, roles to assume included. Fails with errc::not_found
/// when the profile holds no credentials at all (a region only), errc::config when it is
/// missing, names a missing or cyclic source profile, asks for an MFA code, or uses a
/// source the launcher does not support. Variables a `credential_source = Environment`
/// consumed are added to `consumed`.
result<aws_credential_source> profile_credentials(const aws_shared_files& files,
                                                  const std::string& name, const environment& env,
                                                  std::vector<std::string>& consumed);

}  // namespace mcpl
