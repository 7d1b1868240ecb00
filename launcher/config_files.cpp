#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "launcher/config.hpp"
#include "launcher/logging.hpp"
#include "platform/read_file.hpp"

namespace mcpl {

namespace {

std::string env_or(const environment& env, const char* name, std::string fallback = {}) {
  auto it = env.find(name);
  return it == env.end() || it->second.empty() ? fallback : it->second;
}

// Configuration fields that hold credentials in the stores' configurations.
bool is_credential_field(const std::string& key) {
  static const char* const kFields[] = {"token",    "accessToken",     "clientSecret",
                                        "secretId", "secretAccessKey", "sessionToken",
                                        "password", "privateKey",      "apiKey"};
  for (const char* f : kFields)
    if (key == f) return true;
  return false;
}

bool holds_inline_credentials(const nlohmann::json& value) {
  if (!value.is_object()) return false;
  for (const auto& [k, v] : value.items()) {
    if (v.is_string() && is_credential_field(k) && !v.get_ref<const std::string&>().empty() &&
        v.get_ref<const std::string&>().find("{{") == std::string::npos)
      return true;
    if (holds_inline_credentials(v)) return true;
  }
  return false;
}

// As ssh does for private keys: say so when others could read what should be private.
void warn_if_exposed(const std::string& path, const config& cfg) {
  bool inline_creds = false;
  for (const auto& s : cfg.stores)
    inline_creds = inline_creds || holds_inline_credentials(s.configuration);
  if (!inline_creds) return;
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
    log::warn(path + " holds inline credentials and is readable by group or others: chmod 600 " +
              path);
}

void merge(config& into, config&& from) {
  for (auto& s : from.stores) {
    std::erase_if(into.stores, [&](const store_spec& old) { return old.name == s.name; });
    into.stores.push_back(std::move(s));
  }
  for (auto& [name, def] : from.servers) into.servers[name] = std::move(def);
  if (from.cache_ttl) into.cache_ttl = from.cache_ttl;
  for (auto& f : from.files) into.files.push_back(std::move(f));
}

result<config> load_file(const std::string& path) {
  auto text = read_secret_file(path);
  if (!text) return fail(errc::config, "config file " + text.err().message);
  auto cfg = parse_config(*text, path);
  if (cfg) warn_if_exposed(path, *cfg);
  return cfg;
}

std::vector<std::string> split_paths(const std::string& list) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    std::size_t colon = list.find(':', pos);
    if (colon == std::string::npos) colon = list.size();
    if (colon > pos) out.push_back(list.substr(pos, colon - pos));
    pos = colon + 1;
  }
  return out;
}

bool exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

}  // namespace

result<config> load_config(const config_sources& sources, const environment& env) {
  std::vector<std::string> files = sources.files;
  if (files.empty()) {
    std::string listed = env_or(env, "MCP_LAUNCH_CONFIG");
    if (!listed.empty()) {
      files = split_paths(listed);
    } else {
      std::vector<std::string> defaults;
      std::string home = env_or(env, "HOME");
      std::string xdg = env_or(env, "XDG_CONFIG_HOME", home.empty() ? "" : home + "/.config");
      if (!xdg.empty()) defaults.push_back(xdg + "/mcp-launch/config.json");
      if (!home.empty()) defaults.push_back(home + "/.config/mcp-launch/config.json");
      defaults.push_back("/etc/mcp-launch/config.json");
      for (const auto& d : defaults)
        if (exists(d)) {
          files.push_back(d);
          break;
        }
    }
  }
  config merged;
  for (const auto& f : files) {
    auto cfg = load_file(f);
    if (!cfg) return std::move(cfg).err();
    merge(merged, std::move(*cfg));
  }
  // An inline config (containers) comes last, so it wins by name.
  if (auto it = env.find("MCP_LAUNCH_CONFIG_JSON"); it != env.end() && !it->second.empty()) {
    auto cfg = parse_config(it->second, "$MCP_LAUNCH_CONFIG_JSON");
    if (!cfg) return std::move(cfg).err();
    merge(merged, std::move(*cfg));
  }
  return merged;
}

}  // namespace mcpl
