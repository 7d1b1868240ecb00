#include "providers/aws/credential_sources.hpp"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "platform/http/url.hpp"
#include "providers/aws/aws_protocol.hpp"
#include "providers/http/http_errors.hpp"

namespace mcpl {

namespace {

result<aws_credentials> credentials_json(int status, const std::string& body,
                                         const std::string& source) {
  if (status != 200) {
    auto j = parse_json(body);
    std::string said =
        j ? string_field(*j, "message").value_or(string_field(*j, "Message").value_or("")) : "";
    auto e = http_failure(status, said);
    return fail(e.code, source + ": " + e.message);
  }
  auto j = parse_json(body);
  if (!j || !j->is_object()) return fail(errc::unavailable, source + ": the answer is not JSON");
  if (auto code = string_field(*j, "Code"); code && *code != "Success")
    return fail(errc::unavailable,
                source + ": the credentials are not ready (" + code->substr(0, 60) + ")");
  aws_credentials creds{string_field(*j, "AccessKeyId").value_or(""),
                        string_field(*j, "SecretAccessKey").value_or(""),
                        string_field(*j, "Token").value_or(""),
                        parse_expiration(string_field(*j, "Expiration").value_or(""))};
  if (creds.access_key_id.empty() || creds.secret_access_key.empty())
    return fail(errc::unavailable, source + ": the answer has no AccessKeyId and SecretAccessKey");
  return creds;
}

error sts_error(int status, const std::string& body) {
  return aws_error(status, xml_text(body, "Code"), xml_text(body, "Message"));
}

result<aws_credentials> sts_credentials(int status, const std::string& body, const char* action) {
  if (status != 200) return sts_error(status, body);
  aws_credentials creds{xml_text(body, "AccessKeyId"), xml_text(body, "SecretAccessKey"),
                        xml_text(body, "SessionToken"),
                        parse_expiration(xml_text(body, "Expiration"))};
  if (creds.access_key_id.empty() || creds.secret_access_key.empty() || creds.session_token.empty())
    return fail(errc::unavailable,
                std::string("STS: the ") + action + " answer has no credentials");
  return creds;
}

}  // namespace

http_request web_identity_request(const aws_settings& s, const std::string& token,
                                  std::chrono::system_clock::time_point now) {
  const auto& c = s.credentials;
  std::string session = c.session_name;
  if (session.empty())
    session = "mcp-launch-" + std::to_string(std::chrono::system_clock::to_time_t(now));
  http_request req;
  req.method = "POST";
  req.url = s.sts_endpoint + "/";
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                 {"Accept", "text/xml"}};
  req.body = form_body({{"Action", "AssumeRoleWithWebIdentity"},
                        {"Version", "2011-06-15"},
                        {"RoleArn", c.role_arn},
                        {"RoleSessionName", session},
                        {"WebIdentityToken", token}});
  req.transient = is_sts_throttling;
  return req;
}

result<aws_credentials> parse_web_identity(int status, const std::string& body) {
  return sts_credentials(status, body, "AssumeRoleWithWebIdentity");
}

http_request assume_role_request(const aws_settings& s, const aws_role_step& role,
                                 const aws_credentials& source,
                                 std::chrono::system_clock::time_point now) {
  std::string session = role.session_name;
  if (session.empty())
    session = "mcp-launch-" + std::to_string(std::chrono::system_clock::to_time_t(now));
  std::vector<std::pair<std::string, std::string>> form = {{"Action", "AssumeRole"},
                                                           {"Version", "2011-06-15"},
                                                           {"RoleArn", role.role_arn},
                                                           {"RoleSessionName", session}};
  if (!role.external_id.empty()) form.emplace_back("ExternalId", role.external_id);
  if (role.duration_seconds > 0)
    form.emplace_back("DurationSeconds", std::to_string(role.duration_seconds));
  http_request req;
  req.method = "POST";
  req.url = s.sts_endpoint + "/";
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  req.body = form_body(form);
  auto url = parse_url(req.url);
  http_headers signed_headers = req.headers;
  signed_headers.emplace_back("Host", url ? url->authority() : "");
  auto sig = sign_v4({"POST", url ? url->target : "/", "", signed_headers, req.body}, source,
                     {s.region, "sts", now});
  req.headers.insert(req.headers.end(), sig.headers.begin(), sig.headers.end());
  req.transient = is_sts_throttling;
  return req;
}

result<aws_credentials> parse_assume_role(int status, const std::string& body) {
  return sts_credentials(status, body, "AssumeRole");
}

bool is_sts_throttling(const http_response& res) {
  return res.status == 400 && sts_error(res.status, res.body).code == errc::unavailable;
}

http_request container_credentials_request(const std::string& uri, const std::string& auth_token) {
  http_request req;
  req.url = uri;
  if (!auth_token.empty()) req.headers.emplace_back("Authorization", auth_token);
  return req;
}

http_request imds_token_request(const std::string& endpoint) {
  http_request req;
  req.method = "PUT";
  req.url = endpoint + "/latest/api/token";
  req.headers = {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}};
  return req;
}

http_request imds_role_request(const std::string& endpoint, const std::string& token) {
  http_request req;
  req.url = endpoint + "/latest/meta-data/iam/security-credentials/";
  req.headers = {{"X-aws-ec2-metadata-token", token}};
  return req;
}

http_request imds_credentials_request(const std::string& endpoint, const std::string& token,
                                      const std::string& role) {
  http_request req = imds_role_request(endpoint, token);
  req.url += percent_encode(role);
  return req;
}

result<std::string> parse_imds_text(int status, const std::string& body) {
  if (status == 404)
    return fail(errc::config, "EC2 instance metadata: the instance has no IAM role attached");
  if (status != 200) {
    auto e = http_failure(status, "");
    return fail(e.code, "EC2 instance metadata: " + e.message);
  }
  std::string first = body.substr(0, body.find('\n'));
  if (first.empty()) return fail(errc::unavailable, "EC2 instance metadata: an empty answer");
  return first;
}

result<aws_credentials> parse_container_credentials(int status, const std::string& body) {
  return credentials_json(status, body, "container credentials");
}

result<aws_credentials> parse_imds_credentials(int status, const std::string& body) {
  return credentials_json(status, body, "EC2 instance metadata");
}

std::string xml_text(const std::string& xml, const std::string& tag) {
  auto open = xml.find("<" + tag + ">");
  if (open == std::string::npos) return "";
  open += tag.size() + 2;
  auto close = xml.find("</" + tag + ">", open);
  if (close == std::string::npos) return "";
  std::string raw = xml.substr(open, close - open), out;
  static const std::pair<const char*, char> entities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  for (std::size_t i = 0; i < raw.size(); ++i) {
    bool decoded = false;
    for (const auto& [entity, c] : entities) {
      if (raw.compare(i, std::char_traits<char>::length(entity), entity) == 0) {
        out += c;
        i += std::char_traits<char>::length(entity) - 1;
        decoded = true;
        break;
      }
    }
    if (!decoded) out += raw[i];
  }
  return out;
}

}  // namespace mcpl
