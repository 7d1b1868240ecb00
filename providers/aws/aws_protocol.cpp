#include "providers/aws/aws_protocol.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "platform/crypto.hpp"
#include "platform/http/url.hpp"
#include "providers/http/http_errors.hpp"

namespace mcpl {

namespace {

using json = nlohmann::json;

// The secret of one GetSecretValue answer or SecretValues entry.
result<std::string> secret_of(const json& entry, const std::string& id) {
  if (auto text = string_field(entry, "SecretString")) return std::move(*text);
  if (auto binary = string_field(entry, "SecretBinary")) {
    if (auto bytes = base64_decode(*binary)) return std::move(*bytes);
    return fail(errc::content, "'" + id + "': SecretBinary is not base64");
  }
  return fail(errc::content,
              "'" + id + "': the secret version has no SecretString or SecretBinary");
}

// "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db" names the secret whose ARN is that
// followed by '-' and six random characters.
bool names(const std::string& id, const json& entry) {
  auto name = string_field(entry, "Name");
  auto arn = string_field(entry, "ARN");
  if ((name && *name == id) || (arn && *arn == id)) return true;
  return arn && id.rfind("arn:", 0) == 0 && arn->size() == id.size() + 7 &&
         arn->compare(0, id.size() + 1, id + "-") == 0;
}

std::string error_name(std::string type) {
  if (auto hash = type.rfind('#'); hash != std::string::npos) type.erase(0, hash + 1);
  if (auto colon = type.find(':'); colon != std::string::npos) type.erase(colon);
  return type;
}

}  // namespace

result<aws_secret_ref> parse_aws_identifier(const std::string& identifier) {
  aws_secret_ref ref;
  auto q = identifier.find('?');
  ref.secret_id = identifier.substr(0, q);
  if (ref.secret_id.empty())
    return fail(errc::config, "'" + identifier + "': no secret name or ARN");
  std::string query = q == std::string::npos ? "" : identifier.substr(q + 1);
  while (q != std::string::npos) {
    auto amp = query.find('&');
    std::string param = query.substr(0, amp);
    auto eq = param.find('=');
    std::string name = param.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : param.substr(eq + 1);
    std::string* slot = name == "versionStage" ? &ref.version_stage
                        : name == "versionId"  ? &ref.version_id
                                               : nullptr;
    if (!slot || value.empty() || !slot->empty())
      return fail(errc::config,
                  "'" + identifier + "': the qualifiers are ?versionStage=STAGE and ?versionId=ID");
    *slot = value;
    if (amp == std::string::npos) break;
    query.erase(0, amp + 1);
  }
  return ref;
}

http_request secrets_manager_request(const aws_settings& s, const aws_credentials& creds,
                                     const std::string& operation, std::string body,
                                     std::chrono::system_clock::time_point now) {
  http_request req;
  req.method = "POST";
  req.url = s.endpoint + "/";
  auto url = parse_url(req.url);
  req.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", "secretsmanager." + operation}};
  // Host is signed as the client will send it (url_parts::authority), not sent twice.
  http_headers signed_headers = req.headers;
  signed_headers.emplace_back("Host", url ? url->authority() : "");
  sigv4_scope scope{s.region, "secretsmanager", now};
  scope.sign_body = true;
  auto sig = sign_v4({"POST", url ? url->target : "/", "", signed_headers, body}, creds, scope);
  req.headers.insert(req.headers.end(), sig.headers.begin(), sig.headers.end());
  req.body = std::move(body);
  req.transient = is_aws_throttling;
  return req;
}

std::string get_secret_value_body(const aws_secret_ref& ref) {
  json body = {{"SecretId", ref.secret_id}};
  if (!ref.version_id.empty()) body["VersionId"] = ref.version_id;
  if (!ref.version_stage.empty()) body["VersionStage"] = ref.version_stage;
  return request_body(body);
}

result<std::string> parse_get_secret_value(int status, const std::string& body) {
  if (status != 200) return aws_json_error(status, body);
  auto j = parse_json(body);
  if (!j || !j->is_object())
    return fail(errc::unavailable, "GetSecretValue: the answer is not JSON");
  return secret_of(*j, string_field(*j, "Name").value_or("the secret"));
}

std::string batch_get_secret_value_body(const std::vector<std::string>& secret_ids) {
  return request_body(json{{"SecretIdList", secret_ids}});
}

result<std::vector<std::optional<std::string>>> parse_batch_get_secret_value(
    int status, const std::string& body, const std::vector<std::string>& secret_ids) {
  if (status != 200) return aws_json_error(status, body);
  auto j = parse_json(body);
  if (!j || !j->is_object())
    return fail(errc::unavailable, "BatchGetSecretValue: the answer is not JSON");
  std::vector<std::optional<std::string>> values(secret_ids.size());
  auto entries = j->find("SecretValues");
  if (entries == j->end() || !entries->is_array()) return values;
  for (std::size_t i = 0; i < secret_ids.size(); ++i) {
    for (const auto& entry : *entries) {
      if (!names(secret_ids[i], entry)) continue;
      if (auto value = secret_of(entry, secret_ids[i])) values[i] = std::move(*value);
      break;
    }
  }
  return values;
}

error aws_error(int status, const std::string& code, const std::string& message) {
  static const std::set<std::string> refused = {"AccessDeniedException",
                                                "AccessDenied",
                                                "UnrecognizedClientException",
                                                "InvalidClientTokenId",
                                                "InvalidSignatureException",
                                                "SignatureDoesNotMatch",
                                                "IncompleteSignature",
                                                "MissingAuthenticationToken",
                                                "ExpiredTokenException",
                                                "ExpiredToken",
                                                "DecryptionFailure",
                                                "InvalidIdentityToken",
                                                "IDPRejectedClaim",
                                                "AuthFailure"};
  static const std::set<std::string> unavailable = {
      "ThrottlingException",  "Throttling",           "TooManyRequestsException",
      "RequestLimitExceeded", "InternalServiceError", "InternalFailure",
      "ServiceUnavailable",   "IDPCommunicationError"};
  error e = http_failure(status, code.empty() ? message : code + ": " + message);
  if (code == "ResourceNotFoundException") e.code = errc::not_found;
  if (refused.count(code)) e.code = errc::refused;
  if (unavailable.count(code)) e.code = errc::unavailable;
  return e;
}

error aws_json_error(int status, const std::string& body) {
  auto j = parse_json(body);
  std::string code, message;
  if (j && j->is_object()) {
    code = error_name(string_field(*j, "__type").value_or(string_field(*j, "code").value_or("")));
    message = string_field(*j, "Message").value_or(string_field(*j, "message").value_or(""));
  }
  return aws_error(status, code, message);
}

bool is_aws_throttling(const http_response& res) {
  if (res.status != 400) return false;
  auto e = aws_json_error(res.status, res.body);
  return e.code == errc::unavailable;
}

}  // namespace mcpl
