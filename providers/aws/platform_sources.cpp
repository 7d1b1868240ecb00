#include "providers/aws/platform_sources.hpp"

#include <algorithm>
#include <cctype>

#include "platform/http/url.hpp"
#include "providers/settings.hpp"

namespace mcpl {

namespace {

// Container credentials come over https from anywhere, or over http from the addresses the
// SDKs allow: loopback and the ECS/EKS agents' link-local addresses.
result<std::string> container_uri(const std::string& uri) {
  auto parts = parse_url(uri);
  if (!parts)
    return fail(errc::config, "AWS_CONTAINER_CREDENTIALS_FULL_URI: " + parts.err().message);
  bool allowed = parts->scheme == "https" || is_loopback_host(parts->host) ||
                 parts->host == "169.254.170.2" || parts->host == "169.254.170.23" ||
                 parts->host == "fd00:ec2::23";
  if (!allowed)
    return fail(errc::config,
                "AWS_CONTAINER_CREDENTIALS_FULL_URI: plain http:// only to loopback, "
                "169.254.170.2, 169.254.170.23 or fd00:ec2::23");
  return uri;
}

}  // namespace

std::optional<aws_credential_source> web_identity_from_env(const environment& env) {
  if (env_value(env, "AWS_WEB_IDENTITY_TOKEN_FILE").empty() ||
      env_value(env, "AWS_ROLE_ARN").empty())
    return std::nullopt;
  aws_credential_source c;
  c.how = aws_credential_source::kind::web_identity;
  c.origin = "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)";
  c.role_arn = env_value(env, "AWS_ROLE_ARN");
  c.token_file = env_value(env, "AWS_WEB_IDENTITY_TOKEN_FILE");
  c.session_name = env_value(env, "AWS_ROLE_SESSION_NAME");
  return c;
}

result<std::optional<aws_credential_source>> container_from_env(
    const environment& env, std::vector<std::string>& consumed) {
  std::string relative = env_value(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  std::string full = env_value(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (relative.empty() && full.empty()) return std::optional<aws_credential_source>();
  aws_credential_source c;
  c.how = aws_credential_source::kind::container;
  c.origin = "container credentials";
  if (!relative.empty()) {
    if (relative.front() != '/')
      return fail(errc::config, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start with '/'");
    c.uri = "http://169.254.170.2" + relative;
    if (auto parts = parse_url(c.uri); !parts)
      return fail(errc::config, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: " + parts.err().message);
  } else {
    auto uri = container_uri(full);
    if (!uri) return uri.err();
    c.uri = *uri;
  }
  c.auth_token_file = env_value(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  if (c.auth_token_file.empty()) {
    c.auth_token = env_value(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    if (!c.auth_token.empty()) consumed.push_back("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }
  return std::optional<aws_credential_source>(std::move(c));
}

result<aws_credential_source> imds_from_env(const environment& env) {
  std::string disabled = env_value(env, "AWS_EC2_METADATA_DISABLED");
  std::transform(disabled.begin(), disabled.end(), disabled.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  if (disabled == "true")
    return fail(errc::config,
                "no AWS credentials: set configuration.accessKeyId and secretAccessKey, "
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE "
                "(instance metadata is off: AWS_EC2_METADATA_DISABLED)");
  aws_credential_source c;
  c.how = aws_credential_source::kind::instance_metadata;
  c.origin = "EC2 instance metadata";
  c.imds_endpoint = env_value(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (c.imds_endpoint.empty())
    c.imds_endpoint = env_value(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") == "IPv6"
                          ? "http://[fd00:ec2::254]"
                          : "http://169.254.169.254";
  auto parts = parse_url(c.imds_endpoint);
  if (!parts)
    return fail(errc::config, "AWS_EC2_METADATA_SERVICE_ENDPOINT: " + parts.err().message);
  while (c.imds_endpoint.back() == '/') c.imds_endpoint.pop_back();
  return c;
}

std::optional<aws_credential_source> keys_from_env(const environment& env,
                                                   std::vector<std::string>& consumed) {
  std::string key = env_value(env, "AWS_ACCESS_KEY_ID");
  std::string secret = env_value(env, "AWS_SECRET_ACCESS_KEY");
  if (key.empty() || secret.empty()) return std::nullopt;
  aws_credential_source c;
  c.origin = "environment";
  c.keys = {key, secret, env_value(env, "AWS_SESSION_TOKEN"), std::nullopt};
  consumed.insert(consumed.end(), {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"});
  if (!c.keys.session_token.empty()) consumed.push_back("AWS_SESSION_TOKEN");
  return c;
}

}  // namespace mcpl
