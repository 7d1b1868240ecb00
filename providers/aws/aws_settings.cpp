#include "providers/aws/aws_settings.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "platform/http/url.hpp"
#include "providers/aws/platform_sources.hpp"
#include "providers/aws/profile_credentials.hpp"
#include "providers/settings.hpp"

namespace mcpl {

namespace {

using kind = aws_credential_source::kind;

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

// An endpoint from the configuration's `field`, else the first of `vars` that is set; "".
result<std::string> endpoint_setting(const nlohmann::json& configuration, const char* field,
                                     const environment& env,
                                     std::initializer_list<const char*> vars) {
  auto configured = setting(configuration, field, env);
  if (!configured) return configured.err();
  if (!configured->empty())
    return check_base_url(*configured, ("configuration." + std::string(field)).c_str());
  return endpoint_from_env(env, vars);
}

// The credentials when no profile holds them: the platform's, in the SDKs' order.
result<aws_credential_source> from_platform(const environment& env,
                                            std::vector<std::string>& consumed) {
  if (auto web = web_identity_from_env(env)) return std::move(*web);
  auto container = container_from_env(env, consumed);
  if (!container) return container.err();
  if (*container) return std::move(**container);
  return imds_from_env(env);
}

// Where the credentials are described for messages: the source, then each role assumed.
std::string describe(const aws_credential_source& c) {
  std::string out = c.origin;
  for (const auto& role : c.roles) out += ", then role " + role.role_arn + " (" + role.origin + ")";
  return out;
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
  if (explicit_profile && !profile)
    return fail(errc::config,
                where + " is in neither " + files.config_path + " nor " + files.credentials_path);

  auto region = setting(configuration, "region", env, "AWS_REGION");
  if (!region) return region.err();
  s.region = !region->empty() ? *region : env_value(env, "AWS_DEFAULT_REGION");
  if (s.region.empty() && profile) s.region = profile_value(*profile, "region");
  if (s.region.empty())
    return fail(errc::config,
                "no AWS region: set configuration.region or AWS_REGION, or region "
                "in " +
                    where + " of " + files.config_path);
  if (!std::all_of(s.region.begin(), s.region.end(),
                   [](unsigned char c) { return std::islower(c) || std::isdigit(c) || c == '-'; }))
    return fail(errc::config, "'" + s.region + "' is not an AWS region name");

  auto checked = endpoint_setting(configuration, "endpoint", env,
                                  {"AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL"});
  if (!checked) return checked.err();
  s.endpoint = !checked->empty()
                   ? *checked
                   : "https://secretsmanager." + s.region + "." + aws_domain(s.region);
  auto sts = endpoint_setting(configuration, "stsEndpoint", env,
                              {"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"});
  if (!sts) return sts.err();
  s.sts_endpoint = !sts->empty() ? *sts : "https://sts." + s.region + "." + aws_domain(s.region);
  auto sso = endpoint_setting(configuration, "ssoEndpoint", env,
                              {"AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL"});
  if (!sso) return sso.err();
  s.sso_endpoint = *sso;
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
  } else if (auto keys = explicit_profile ? std::nullopt : keys_from_env(env, s.consumed_env)) {
    s.credentials = std::move(*keys);
  } else {
    auto from_files = profile ? profile_credentials(files, name, env, s.consumed_env)
                              : result<aws_credential_source>(fail(errc::not_found, ""));
    if (from_files && from_files->roles.empty() && from_files->how != kind::sso)
      from_files->origin = where + " of " + files.credentials_path + " or " + files.config_path;
    // A profile with no credentials of its own (a region only) leaves them to the platform.
    if (!from_files && from_files.err().code == errc::not_found)
      from_files = from_platform(env, s.consumed_env);
    if (!from_files) return from_files.err();
    s.credentials = std::move(*from_files);
  }
  // A role of the store's own, on top of whatever the chain found.
  auto role = setting(configuration, "roleArn", env);
  auto external_id = setting(configuration, "externalId", env);
  if (!role) return role.err();
  if (!external_id) return external_id.err();
  if (!external_id->empty() && role->empty())
    return fail(errc::config, "configuration.externalId needs configuration.roleArn");
  if (!role->empty())
    s.credentials.roles.push_back({*role, "", *external_id, 0, "configuration.roleArn"});
  for (const auto& step : s.credentials.roles)
    if (!step.role_arn.starts_with("arn:"))
      return fail(errc::config, step.origin + ": '" + step.role_arn + "' is not a role ARN");
  s.credentials.origin = describe(s.credentials);
  return s;
}

}  // namespace mcpl
