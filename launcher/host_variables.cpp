#include "launcher/config.hpp"

namespace mcpl {

result<std::string> expand_host_variables(std::string_view text, const environment& env,
                                          std::vector<std::string>* used) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t dollar = text.find("${", pos);
    if (dollar == std::string_view::npos) break;
    std::size_t close = text.find('}', dollar + 2);
    if (close == std::string_view::npos) break;  // not a variable: keep the text as it is
    out.append(text.substr(pos, dollar - pos));
    std::string_view body = text.substr(dollar + 2, close - dollar - 2);
    pos = close + 1;
    if (body.starts_with("input:"))
      return fail(errc::config,
                  "${" + std::string(body) + "}: input '" + std::string(body.substr(6)) +
                      "' is asked by the MCP client, and a launcher cannot answer it; "
                      "use a secret reference instead");
    if (body.starts_with("env:")) {
      auto it = env.find(std::string(body.substr(4)));
      if (it != env.end()) {
        out += it->second;
        if (used) used->push_back(it->first);
      }
      continue;
    }
    std::string_view name = body;
    std::optional<std::string_view> fallback;
    if (auto sep = body.find(":-"); sep != std::string_view::npos) {
      name = body.substr(0, sep);
      fallback = body.substr(sep + 2);
    }
    auto it = env.find(std::string(name));
    if (it != env.end() && !(fallback && it->second.empty())) {
      out += it->second;
      if (used) used->push_back(it->first);
    } else if (fallback) {
      out += *fallback;
    } else {
      return fail(errc::config, "${" + std::string(body) + "}: environment variable " +
                                    std::string(name) + " is not set");
    }
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace mcpl
