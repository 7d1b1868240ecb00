#include "providers/aws/shared_files.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "providers/settings.hpp"

namespace mcpl {

namespace {

std::string trim(std::string s) {
  auto blank = [](unsigned char c) { return std::isspace(c) != 0; };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), blank));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), blank).base(), s.end());
  return s;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

aws_shared_files aws_shared_file_paths(const environment& env) {
  aws_shared_files files;
  std::string home = env_value(env, "HOME");
  files.config_path = env_value(env, "AWS_CONFIG_FILE");
  if (files.config_path.empty() && !home.empty()) files.config_path = home + "/.aws/config";
  files.credentials_path = env_value(env, "AWS_SHARED_CREDENTIALS_FILE");
  if (files.credentials_path.empty() && !home.empty())
    files.credentials_path = home + "/.aws/credentials";
  if (!home.empty()) files.sso_cache_dir = home + "/.aws/sso/cache";
  return files;
}

ini_sections parse_ini(const std::string& text) {
  ini_sections sections;
  std::map<std::string, std::string>* current = nullptr;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    bool indented = !line.empty() && (line.front() == ' ' || line.front() == '\t');
    line = trim(line);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      auto close = line.find(']');
      current = close == std::string::npos ? nullptr : &sections[trim(line.substr(1, close - 1))];
      continue;
    }
    auto eq = line.find('=');
    if (!current || indented || eq == std::string::npos) continue;
    std::string value = trim(line.substr(eq + 1));
    // An inline comment needs a blank before it: "a=b # note", while "a=b#c" is a value.
    for (const char* mark : {" #", " ;", "\t#", "\t;"})
      if (auto c = value.find(mark); c != std::string::npos) value = trim(value.substr(0, c));
    (*current)[lower(trim(line.substr(0, eq)))] = value;
  }
  return sections;
}

std::optional<std::map<std::string, std::string>> find_profile(const aws_shared_files& files,
                                                               const std::string& name) {
  std::optional<std::map<std::string, std::string>> found;
  auto config = parse_ini(files.config);
  // "[profile default]" and "[default]" both name the default profile in the config file.
  for (const auto& section : {"profile " + name, name == "default" ? name : std::string()}) {
    if (auto it = config.find(section); !section.empty() && it != config.end()) {
      if (!found) found.emplace();
      for (const auto& [key, value] : it->second) found->insert_or_assign(key, value);
    }
  }
  auto credentials = parse_ini(files.credentials);
  if (auto it = credentials.find(name); it != credentials.end()) {
    if (!found) found.emplace();
    for (const auto& [key, value] : it->second) found->insert_or_assign(key, value);
  }
  return found;
}

std::string profile_value(const std::map<std::string, std::string>& section, const char* name) {
  auto it = section.find(name);
  return it == section.end() ? "" : it->second;
}

std::optional<std::map<std::string, std::string>> find_sso_session(const aws_shared_files& files,
                                                                   const std::string& name) {
  auto config = parse_ini(files.config);
  auto it = config.find("sso-session " + name);
  if (it == config.end()) return std::nullopt;
  return it->second;
}

}  // namespace mcpl
