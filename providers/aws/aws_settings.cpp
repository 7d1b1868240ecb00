#include "providers/aws/aws_settings.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "platform/http/url.hpp"
#include "providers/settings.hpp"

namespace mcpl {

namespace {

std::string key(const std::map<std::string, std::string>& profile, const char* name) {
  auto it = profile.find(name);
  return it == profile.end() ? "" : it->second;
}

// The first of `vars` that is set, as a base URL; "" when none is.
result<std::string> endpoint_from_env(const environment& env,
                                      std::initializer_list<const char*> vars) {
  for (const char* name : vars)
    if (std::string url = env_value(env, name); !url.empty()) return check_base_url(url, name);
  return std::string();
}

std::string aws_domain(const std::string& region) {
  return region.rfind("cn-", 0) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
}

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

// The sources after the shared files: web identity, container, instance metadata.
result<aws_credential_source> from_platform(const environment& env, aws_settings& s) {
  aws_credential_source c;
  if (!env_value(env, "AWS_WEB_IDENTITY_TOKEN_FILE").empty() &&
      !env_value(env, "AWS_ROLE_ARN").empty()) {
    c.how = aws_credential_source::kind::web_identity;
    c.origin = "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)";
    c.role_arn = env_value(env, "AWS_ROLE_ARN");
    c.token_file = env_value(env, "AWS_WEB_IDENTITY_TOKEN_FILE");
    c.session_name = env_value(env, "AWS_ROLE_SESSION_NAME");
    return c;
  }
  std::string relative = env_value(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  std::string full = env_value(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (!relative.empty() || !full.empty()) {
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
      if (!c.auth_token.empty()) s.consumed_env.push_back("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }
    return c;
  }
  std::string disabled = env_value(env, "AWS_EC2_METADATA_DISABLED");
  std::transform(disabled.begin(), disabled.end(), disabled.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  if (disabled == "true")
    return fail(errc::config,
                "no AWS credentials: set configuration.accessKeyId and secretAccessKey, "
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE "
                "(instance metadata is off: AWS_EC2_METADATA_DISABLED)");
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

// A profile's credentials: keys, or a role assumed with a web identity token.
result<aws_credential_source> from_profile(const std::map<std::string, std::string>& p,
                                           const std::string& where) {
  aws_credential_source c;
  c.origin = where;
  if (!key(p, "aws_access_key_id").empty()) {
    c.keys = {key(p, "aws_access_key_id"), key(p, "aws_secret_access_key"),
              key(p, "aws_session_token"), std::nullopt};
    if (c.keys.secret_access_key.empty())
      return fail(errc::config, where + " has aws_access_key_id but no aws_secret_access_key");
    return c;
  }
  if (!key(p, "role_arn").empty() && !key(p, "web_identity_token_file").empty()) {
    c.how = aws_credential_source::kind::web_identity;
    c.role_arn = key(p, "role_arn");
    c.token_file = key(p, "web_identity_token_file");
    c.session_name = key(p, "role_session_name");
    return c;
  }
  for (const char* unsupported : {"role_arn", "credential_process", "sso_session", "sso_start_url"})
    if (!key(p, unsupported).empty())
      return fail(errc::config, where + " uses " + unsupported +
                                    ", which mcp-launch does not support: give the profile "
                                    "keys or role_arn with web_identity_token_file");
  return fail(errc::not_found, where + " has no credentials");
}

}  // namespace

result<aws_settings> parse_aws_settings(const nlohmann::json& configuration, const environment& env,
                                        const aws_shared_files& files) {
  aws_settings s;
  auto profile_name = setting(configuration, "profile", env, "AWS_PROFILE");
  if (!profile_name) return profile_name.err();
  bool explicit_profile = !profile_name->empty();
  std::string name = explicit_profile ? *profile_name : "default";
  auto profile = find_profile(files, name);
  std::string where = "profile '" + name + "'";
  std::string where_found = where + " of " + files.credentials_path + " or " + files.config_path;
  if (explicit_profile && !profile)
    return fail(errc::config,
                where + " is in neither " + files.config_path + " nor " + files.credentials_path);

  auto region = setting(configuration, "region", env, "AWS_REGION");
  if (!region) return region.err();
  s.region = !region->empty() ? *region : env_value(env, "AWS_DEFAULT_REGION");
  if (s.region.empty() && profile) s.region = key(*profile, "region");
  if (s.region.empty())
    return fail(errc::config,
                "no AWS region: set configuration.region or AWS_REGION, or region "
                "in " +
                    where + " of " + files.config_path);
  if (!std::all_of(s.region.begin(), s.region.end(),
                   [](unsigned char c) { return std::islower(c) || std::isdigit(c) || c == '-'; }))
    return fail(errc::config, "'" + s.region + "' is not an AWS region name");

  auto endpoint = setting(configuration, "endpoint", env);
  if (!endpoint) return endpoint.err();
  auto checked =
      !endpoint->empty()
          ? check_base_url(*endpoint, "configuration.endpoint")
          : endpoint_from_env(env, {"AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL"});
  if (!checked) return checked.err();
  s.endpoint = !checked->empty()
                   ? *checked
                   : "https://secretsmanager." + s.region + "." + aws_domain(s.region);
  auto sts = endpoint_from_env(env, {"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"});
  if (!sts) return sts.err();
  s.sts_endpoint = !sts->empty() ? *sts : "https://sts." + s.region + "." + aws_domain(s.region);
  auto ca_file = setting(configuration, "caFile", env, "AWS_CA_BUNDLE");
  if (!ca_file) return ca_file.err();
  s.ca_file = *ca_file;

  // The chain, in the SDKs' order. An explicitly named profile goes before the environment's
  // keys, as in the JavaScript SDK: AWS_PROFILE=dev means dev.
  aws_credentials configured;
  for (auto [field, out] : {std::pair{"accessKeyId", &configured.access_key_id},
                            std::pair{"secretAccessKey", &configured.secret_access_key},
                            std::pair{"sessionToken", &configured.session_token}}) {
    auto value = setting(configuration, field, env);
    if (!value) return value.err();
    *out = *value;
  }
  if (!configured.access_key_id.empty() || !configured.secret_access_key.empty()) {
    if (configured.access_key_id.empty() || configured.secret_access_key.empty())
      return fail(errc::config, "configuration.accessKeyId and secretAccessKey go together");
    s.credentials.origin = "configuration";
    s.credentials.keys = configured;
    return s;
  }
  std::string env_key = env_value(env, "AWS_ACCESS_KEY_ID");
  std::string env_secret = env_value(env, "AWS_SECRET_ACCESS_KEY");
  if (!explicit_profile && !env_key.empty() && !env_secret.empty()) {
    s.credentials.origin = "environment";
    s.credentials.keys = {env_key, env_secret, env_value(env, "AWS_SESSION_TOKEN"), std::nullopt};
    s.consumed_env = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"};
    if (!s.credentials.keys.session_token.empty()) s.consumed_env.push_back("AWS_SESSION_TOKEN");
    return s;
  }
  if (profile) {
    auto from_files = from_profile(*profile, where);
    if (from_files) from_files->origin = where_found;
    if (from_files) {
      s.credentials = std::move(*from_files);
      return s;
    }
    // A profile with no credentials of its own (a region only) leaves them to the platform.
    if (from_files.err().code != errc::not_found) return from_files.err();
  }
  auto platform = from_platform(env, s);
  if (!platform) return platform.err();
  s.credentials = std::move(*platform);
  return s;
}

}  // namespace mcpl
