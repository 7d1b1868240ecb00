#include "providers/settings.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <nlohmann/json.hpp>

namespace mcpl {

result<std::string> setting(const nlohmann::json& configuration, const char* field,
                            const environment& env, const char* var,
                            std::vector<std::string>* consumed) {
  if (auto it = configuration.find(field); it != configuration.end()) {
    if (!it->is_string() || it->get_ref<const std::string&>().empty())
      return fail(errc::config,
                  std::string("configuration.") + field + " must be a non-empty string");
    return it->get<std::string>();
  }
  if (var) {
    if (auto e = env.find(var); e != env.end() && !e->second.empty()) {
      if (consumed) consumed->push_back(var);
      return e->second;
    }
  }
  return std::string();
}

std::string env_value(const environment& env, const char* name) {
  auto it = env.find(name);
  return it == env.end() ? "" : it->second;
}

bool is_plain_name(std::string_view s, const char* extra) {
  // strchr finds the terminator for '\0': a NUL byte is tested apart.
  return !s.empty() && s != "." && s != ".." &&
         std::all_of(s.begin(), s.end(), [&](unsigned char c) {
           return std::isalnum(c) || (c != '\0' && std::strchr(extra, c) != nullptr);
         });
}

std::optional<std::string> path_problem(std::string_view path) {
  if (std::any_of(path.begin(), path.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    return "it holds a control character";
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view segment = path.substr(pos, slash - pos);
    if (segment == "." || segment == "..")
      return "it has a '" + std::string(segment) + "' path segment";
    pos = slash + 1;
  }
  return std::nullopt;
}

result<versioned_identifier> split_version(const std::string& identifier) {
  auto q = identifier.find('?');
  if (q == std::string::npos) return versioned_identifier{identifier, ""};
  std::string query = identifier.substr(q + 1);
  if (query.rfind("version=", 0) != 0 || query.size() == 8 || query.size() > 8 + 9 ||
      !std::all_of(query.begin() + 8, query.end(), ::isdigit))
    return fail(errc::config, "'" + identifier + "': the only qualifier is ?version=N");
  return versioned_identifier{identifier.substr(0, q), query.substr(8)};
}

std::string trim_token(std::string token) {
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  return token;
}

}  // namespace mcpl
