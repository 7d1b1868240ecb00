// AWS's shared configuration files (~/.aws/config and ~/.aws/credentials): the INI dialect
// the AWS CLI and SDKs read, and a profile's settings merged from both.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "providers/provider.hpp"

namespace mcpl {

/// The two files' paths and text ("" for a file that does not exist).
struct aws_shared_files {
  std::string config_path;
  std::string config;
  std::string credentials_path;
  std::string credentials;
  std::string sso_cache_dir;  ///< ~/.aws/sso/cache, where `aws sso login` keeps its tokens
};

/// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and
/// ~/.aws/credentials, and ~/.aws/sso/cache; paths only, "" when neither the variable nor
/// HOME is set.
aws_shared_files aws_shared_file_paths(const environment& env);

/// Sections of an INI text: name → (key → value). Keys are lower-cased; comments ('#', ';'),
/// and the indented lines of nested settings ("s3 =\n  max_concurrent_requests = 4") are
/// skipped; a section given twice has its keys merged, the later winning.
using ini_sections = std::map<std::string, std::map<std::string, std::string>>;
ini_sections parse_ini(const std::string& text);

/// Profile `name`'s settings: the config file's "[profile name]" (or "[default]"), overlaid
/// by the credentials file's "[name]", as the SDKs merge them. Nothing when neither file
/// has the profile.
std::optional<std::map<std::string, std::string>> find_profile(const aws_shared_files& files,
                                                               const std::string& name);

/// `name`'s value in a profile or section, "" when it has none.
std::string profile_value(const std::map<std::string, std::string>& section, const char* name);

/// The config file's "[sso-session name]": an IAM Identity Center session's start URL and
/// region. Nothing when the file has none of that name.
std::optional<std::map<std::string, std::string>> find_sso_session(const aws_shared_files& files,
                                                                   const std::string& name);

}  // namespace mcpl
