// The network credential sources of the AWS chain as pure functions: STS
// AssumeRoleWithWebIdentity and AssumeRole (query protocol, XML answers), the ECS/EKS container
// endpoint and EC2's instance metadata service (IMDSv2), requests built and answers parsed. No I/O
// here.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "platform/http/http.hpp"
#include "providers/aws/aws_settings.hpp"
#include "providers/http/oauth.hpp"

namespace mcpl {

/// POST {sts_endpoint}/ with Action=AssumeRoleWithWebIdentity, unsigned: the OIDC `token`
/// is the credential. The session name defaults to "mcp-launch-<unix time>".
http_request web_identity_request(const aws_settings& s, const std::string& token,
                                  std::chrono::system_clock::time_point now);

/// The temporary credentials of an AssumeRoleWithWebIdentity answer, or the error its
/// ErrorResponse means.
result<aws_credentials> parse_web_identity(int status, const std::string& body);

/// POST {sts_endpoint}/ with Action=AssumeRole, SigV4-signed with `source` (the credentials
/// before this role in the chain) for STS in the store's region.
http_request assume_role_request(const aws_settings& s, const aws_role_step& role,
                                 const aws_credentials& source,
                                 std::chrono::system_clock::time_point now);

/// The temporary credentials of an AssumeRole answer, or the error its ErrorResponse means.
result<aws_credentials> parse_assume_role(int status, const std::string& body);

/// STS throttles with HTTP 400 too.
bool is_sts_throttling(const http_response& res);

/// GET the container credentials, with `auth_token` as Authorization when not empty.
http_request container_credentials_request(const std::string& uri, const std::string& auth_token);

/// IMDSv2: the session token, the instance profile's role name, the role's credentials.
http_request imds_token_request(const std::string& endpoint);
http_request imds_role_request(const std::string& endpoint, const std::string& token);
http_request imds_credentials_request(const std::string& endpoint, const std::string& token,
                                      const std::string& role);

/// The first line of an IMDS text answer (the token, the role name); a 404 for the role
/// means the instance has no IAM role.
result<std::string> parse_imds_text(int status, const std::string& body);

/// {AccessKeyId, SecretAccessKey, Token, Expiration} as the container endpoint and IMDS
/// answer them (IMDS adds "Code": "Success").
result<aws_credentials> parse_container_credentials(int status, const std::string& body);
result<aws_credentials> parse_imds_credentials(int status, const std::string& body);

/// The text of the first <tag>…</tag> in `xml`, entities decoded; "" when absent.
std::string xml_text(const std::string& xml, const std::string& tag);

}  // namespace mcpl
