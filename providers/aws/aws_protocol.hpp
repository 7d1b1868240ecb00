// AWS Secrets Manager's JSON protocol as pure functions (PROTOCOLS.md; the Secrets Manager
// API reference): identifiers, signed GetSecretValue and BatchGetSecretValue requests, their
// answers, and AWS's error names mapped to DESIGN §10. No I/O here.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "platform/http/http.hpp"
#include "providers/aws/aws_settings.hpp"

namespace mcpl {

/// A secret name, full ARN or partial ARN, with the optional "?versionStage=…" and
/// "?versionId=…" qualifiers (both may be given, joined by '&').
struct aws_secret_ref {
  std::string secret_id;
  std::string version_id;
  std::string version_stage;
};
result<aws_secret_ref> parse_aws_identifier(const std::string& identifier);

/// A POST of Secrets Manager's `operation` ("GetSecretValue") with a JSON `body`, signed
/// with SigV4 at `now`.
http_request secrets_manager_request(const aws_settings& s, const aws_credentials& creds,
                                     const std::string& operation, std::string body,
                                     std::chrono::system_clock::time_point now);

std::string get_secret_value_body(const aws_secret_ref& ref);

/// The secret's bytes: SecretString as is, SecretBinary decoded; or the error AWS's answer
/// means.
result<std::string> parse_get_secret_value(int status, const std::string& body);

/// At most 20 secret ids: BatchGetSecretValue's limit for a SecretIdList.
constexpr std::size_t max_batch = 20;
std::string batch_get_secret_value_body(const std::vector<std::string>& secret_ids);

/// The value of each of `secret_ids`, matched by name, ARN or partial ARN; nothing for those
/// the answer has no value for (reported in its Errors, or not mentioned), which the caller
/// asks for one by one. An unsuccessful answer is the error it means.
result<std::vector<std::optional<std::string>>> parse_batch_get_secret_value(
    int status, const std::string& body, const std::vector<std::string>& secret_ids);

/// The error an unsuccessful AWS answer means: its error name ("__type", "Code") mapped —
/// ResourceNotFoundException → not found; authentication and permission errors → refused;
/// throttling and server errors → unavailable; other client errors → configuration — with
/// AWS's own message.
error aws_error(int status, const std::string& code, const std::string& message);

/// An AWS JSON error answer: `__type` (without its "namespace#") and message.
error aws_json_error(int status, const std::string& body);

/// AWS throttles with HTTP 400 and an error name: worth retrying, like a 429.
bool is_aws_throttling(const http_response& res);

}  // namespace mcpl
