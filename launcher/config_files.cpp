#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "launcher/config.hpp"
#include "launcher/config_permissions.hpp"
#include "launcher/logging.hpp"
#include "platform/read_file.hpp"

namespace mcpl {

namespace {

std::string env_or(const environment& env, const char* name, std::string fallback = {}) {
  auto it = env.find(name);
  return it == env.end() || it->second.empty() ? fallback : it->second;
}

void merge(config& into, config&& from) {
  for (auto& s : from.stores) {
    std::erase_if(into.stores, [&](const store_spec& old) { return old.name == s.name; });
    into.stores.push_back(std::move(s));
  }
  for (auto& [name, def] : from.servers) {
    into.skipped.erase(name);
    into.servers[name] = std::move(def);
  }
  for (auto& [name, why] : from.skipped) {
    into.servers.erase(name);
    into.skipped[name] = std::move(why);
  }
  if (from.cache_ttl) into.cache_ttl = from.cache_ttl;
  for (auto& f : from.files) into.files.push_back(std::move(f));
}

result<config> load_file(const std::string& path) {
  struct stat st {};
  auto text = read_secret_file(path, &st);
  if (!text) return fail(errc::config, "config file " + text.err().message);
  if (auto r = check_config_permissions(path, st); !r) return r.err();
  auto cfg = parse_config(*text, path);
  if (cfg) warn_if_exposed(path, st, *cfg);
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
