#include "providers/aws/profile_credentials.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "platform/crypto.hpp"
#include "providers/aws/platform_sources.hpp"

namespace mcpl {

namespace {

using profile = std::map<std::string, std::string>;
using kind = aws_credential_source::kind;

// The file `aws sso login` caches a session's token in: the SHA-1 of the session's name (or,
// for a legacy profile, of its start URL), in hexadecimal, with ".json".
std::string sso_cache_file_name(const std::string& session_or_start_url) {
  return hex(sha1(session_or_start_url)) + ".json";
}

std::string quoted(const std::string& name) { return "profile '" + name + "'"; }

class resolver {
 public:
  resolver(const aws_shared_files& files, const environment& env,
           std::vector<std::string>& consumed)
      : files_(files), env_(env), consumed_(consumed) {}

  result<aws_credential_source> resolve(const std::string& name) {
    auto p = find_profile(files_, name);
    if (!p)
      return fail(errc::config, quoted(name) + " is in neither " + files_.config_path + " nor " +
                                    files_.credentials_path);
    bool in_chain = !visited_.empty();
    visited_.push_back(name);
    // A source profile with keys of its own ends the chain, as in the SDKs.
    if (in_chain && !profile_value(*p, "aws_access_key_id").empty()) return keys(*p, name);
    std::string role = profile_value(*p, "role_arn");
    if (!role.empty() && (p->count("source_profile") || p->count("credential_source")))
      return assumed(*p, name);
    if (!profile_value(*p, "aws_access_key_id").empty()) return keys(*p, name);
    if (!role.empty() && !profile_value(*p, "web_identity_token_file").empty()) {
      aws_credential_source c;
      c.how = kind::web_identity;
      c.origin = quoted(name);
      c.role_arn = role;
      c.token_file = profile_value(*p, "web_identity_token_file");
      c.session_name = profile_value(*p, "role_session_name");
      return c;
    }
    if (p->count("sso_session") || p->count("sso_start_url")) return sso(*p, name);
    if (p->count("credential_process"))
      return fail(errc::config, quoted(name) +
                                    " uses credential_process, which mcp-launch does not run: "
                                    "give the profile keys, a role, or an IAM Identity Center "
                                    "session");
    if (!role.empty())
      return fail(errc::config, quoted(name) +
                                    " has role_arn but nothing to assume it with: add "
                                    "source_profile, credential_source or web_identity_token_file");
    return fail(errc::not_found, quoted(name) + " has no credentials");
  }

 private:
  result<aws_credential_source> keys(const profile& p, const std::string& name) {
    aws_credential_source c;
    c.origin = quoted(name);
    c.keys = {profile_value(p, "aws_access_key_id"), profile_value(p, "aws_secret_access_key"),
              profile_value(p, "aws_session_token"), std::nullopt};
    if (c.keys.access_key_id.empty() || c.keys.secret_access_key.empty())
      return fail(errc::config,
                  quoted(name) + " has aws_access_key_id but no aws_secret_access_key");
    return c;
  }

  result<aws_credential_source> assumed(const profile& p, const std::string& name) {
    std::string where = quoted(name);
    if (!profile_value(p, "mfa_serial").empty())
      return fail(errc::config, where +
                                    " asks for an MFA code (mfa_serial), which a launcher "
                                    "cannot ask anyone for: assume the role with a profile "
                                    "that needs no MFA, or an IAM Identity Center session");
    std::string source = profile_value(p, "source_profile"),
                platform = profile_value(p, "credential_source");
    if (!source.empty() && !platform.empty())
      return fail(errc::config, where + " has both source_profile and credential_source");
    aws_role_step step{profile_value(p, "role_arn"), profile_value(p, "role_session_name"),
                       profile_value(p, "external_id"), 0, where};
    if (std::string d = profile_value(p, "duration_seconds"); !d.empty()) {
      auto [end, ec] = std::from_chars(d.data(), d.data() + d.size(), step.duration_seconds);
      if (ec != std::errc() || end != d.data() + d.size() || step.duration_seconds < 900 ||
          step.duration_seconds > 43200)
        return fail(errc::config, where + ": duration_seconds must be 900 to 43200");
    }
    auto base = platform.empty() ? from_source(p, name, source) : from_platform(platform, where);
    if (!base) return base.err();
    base->roles.push_back(std::move(step));
    return base;
  }

  result<aws_credential_source> from_source(const profile& p, const std::string& name,
                                            const std::string& source) {
    if (source.empty()) return fail(errc::config, quoted(name) + ": source_profile is empty");
    if (source == name) {  // a role assumed with the profile's own keys
      if (profile_value(p, "aws_access_key_id").empty())
        return fail(errc::config, quoted(name) + " is its own source_profile but has no keys");
      return keys(p, name);
    }
    if (std::find(visited_.begin(), visited_.end(), source) != visited_.end()) {
      std::string cycle;
      for (const auto& v : visited_) cycle += "'" + v + "' → ";
      return fail(errc::config,
                  "source_profile goes round in a cycle: " + cycle + "'" + source + "'");
    }
    auto base = resolve(source);
    if (!base && base.err().code == errc::not_found)
      return fail(errc::config,
                  quoted(name) + ": its source_profile '" + source + "' has no credentials");
    return base;
  }

  result<aws_credential_source> from_platform(const std::string& platform,
                                              const std::string& where) {
    if (platform == "Environment") {
      if (auto c = keys_from_env(env_, consumed_)) return std::move(*c);
      return fail(errc::config, where +
                                    ": credential_source Environment, but AWS_ACCESS_KEY_ID "
                                    "and AWS_SECRET_ACCESS_KEY are not both set");
    }
    if (platform == "Ec2InstanceMetadata") return imds_from_env(env_);
    if (platform == "EcsContainer") {
      auto c = container_from_env(env_, consumed_);
      if (!c) return c.err();
      if (*c) return std::move(**c);
      return fail(errc::config, where +
                                    ": credential_source EcsContainer, but no "
                                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI");
    }
    return fail(errc::config, where +
                                  ": credential_source must be Environment, "
                                  "Ec2InstanceMetadata or EcsContainer");
  }

  result<aws_credential_source> sso(const profile& p, const std::string& name) {
    std::string where = quoted(name);
    std::string session = profile_value(p, "sso_session");
    std::string start_url = profile_value(p, "sso_start_url"),
                region = profile_value(p, "sso_region");
    std::string cache_key = start_url;
    if (!session.empty()) {
      auto s = find_sso_session(files_, session);
      if (!s)
        return fail(errc::config, where + " names sso_session '" + session + "', which has no " +
                                      "[sso-session " + session + "] in " + files_.config_path);
      // The SDKs refuse a profile whose own start URL or region contradicts its session's.
      for (auto [field, value] :
           {std::pair{"sso_start_url", &start_url}, std::pair{"sso_region", &region}}) {
        std::string of_session = profile_value(*s, field);
        if (!value->empty() && !of_session.empty() && *value != of_session)
          return fail(errc::config, where + "'s " + field + " differs from its sso-session's");
        if (!of_session.empty()) *value = of_session;
      }
      cache_key = session;
    }
    aws_credential_source c;
    c.how = kind::sso;
    c.origin = where + " (IAM Identity Center" +
               (session.empty() ? std::string(")") : ", session '" + session + "')");
    c.sso_region = region;
    c.sso_account_id = profile_value(p, "sso_account_id");
    c.sso_role_name = profile_value(p, "sso_role_name");
    for (auto [field, value] :
         {std::pair{"sso_start_url", &start_url}, std::pair{"sso_region", &c.sso_region},
          std::pair{"sso_account_id", &c.sso_account_id},
          std::pair{"sso_role_name", &c.sso_role_name}})
      if (value->empty()) return fail(errc::config, where + " has no " + field);
    // The region goes into the portal's host name.
    if (!std::all_of(c.sso_region.begin(), c.sso_region.end(), [](unsigned char ch) {
          return std::islower(ch) || std::isdigit(ch) || ch == '-';
        }))
      return fail(errc::config, where + ": '" + c.sso_region + "' is not an AWS region name");
    if (files_.sso_cache_dir.empty())
      return fail(errc::config, where + ": no HOME, so no ~/.aws/sso/cache to read the login from");
    c.sso_cache_file = files_.sso_cache_dir + "/" + sso_cache_file_name(cache_key);
    c.sso_login = session.empty() ? "aws sso login --profile " + name
                                  : "aws sso login --sso-session " + session;
    return c;
  }

  const aws_shared_files& files_;
  const environment& env_;
  std::vector<std::string>& consumed_;
  std::vector<std::string> visited_;
};

}  // namespace

result<aws_credential_source> profile_credentials(const aws_shared_files& files,
                                                  const std::string& name, const environment& env,
                                                  std::vector<std::string>& consumed) {
  return resolver(files, env, consumed).resolve(name);
}

}  // namespace mcpl
