#include <algorithm>
#include <cctype>

#include "launcher/config.hpp"

namespace mcpl {

namespace {

// Variables VS Code (and clients like it) expand in their own config before starting a
// server; a launcher started by the client never sees them.
bool is_client_variable(std::string_view body) {
  static const char* const kNames[] = {"workspaceFolder",
                                       "workspaceFolderBasename",
                                       "workspaceRoot",
                                       "userHome",
                                       "cwd",
                                       "file",
                                       "fileBasename",
                                       "fileBasenameNoExtension",
                                       "fileDirname",
                                       "fileExtname",
                                       "fileWorkspaceFolder",
                                       "relativeFile",
                                       "relativeFileDirname",
                                       "lineNumber",
                                       "selectedText",
                                       "execPath",
                                       "pathSeparator",
                                       "/",
                                       "defaultBuildTask"};
  if (body.starts_with("config:") || body.starts_with("command:") ||
      body.starts_with("workspaceFolder:"))
    return true;
  return std::any_of(std::begin(kNames), std::end(kNames),
                     [&](const char* n) { return body == n; });
}

bool is_variable_name(std::string_view name) {
  return !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
         std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

}  // namespace

result<std::string> expand_host_variables(std::string_view text, const environment& env,
                                          std::vector<std::string>* used) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t dollar = text.find("${", pos);
    if (dollar == std::string_view::npos) break;
    if (dollar > pos && text[dollar - 1] == '$') {  // "$${" is a literal "${"
      out.append(text.substr(pos, dollar - pos - 1));
      out += "${";
      pos = dollar + 2;
      continue;
    }
    std::size_t close = text.find('}', dollar + 2);
    if (close == std::string_view::npos) break;  // not a variable: keep the text as it is
    out.append(text.substr(pos, dollar - pos));
    std::string_view body = text.substr(dollar + 2, close - dollar - 2);
    std::string written = "${" + std::string(body) + "}";
    pos = close + 1;
    if (body.starts_with("input:"))
      return fail(errc::config,
                  written + ": input '" + std::string(body.substr(6)) +
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
    } else if (is_client_variable(body)) {
      return fail(errc::config,
                  written +
                      " is a variable of the MCP client (VS Code's), which only the "
                      "client can expand: keep it in the client's own entry, or write "
                      "$" +
                      written + " for the text " + written);
    } else if (!is_variable_name(name)) {
      return fail(errc::config, written +
                                    ": the forms read are ${NAME}, ${NAME:-default} and "
                                    "${env:NAME}; write $" +
                                    written + " for the text " + written);
    } else {
      return fail(errc::config, written + ": environment variable " + std::string(name) +
                                    " is not set (${" + std::string(name) +
                                    ":-default} gives a default)");
    }
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace mcpl
