#include "launcher/preflight.hpp"

#include <sys/stat.h>

#include "platform/process.hpp"

namespace mcpl {

namespace {

// The text of a field without references, or nothing.
const std::string* literal(const template_field& f) {
  if (!f.refs.empty()) return nullptr;
  static const std::string empty;
  return f.parsed.segments.empty() ? &empty : &f.parsed.segments.front().literal;
}

}  // namespace

result<void> check_command(const launch_plan& plan, const std::string& command,
                           const std::string& search_path) {
  auto found = locate_command(command, search_path);
  if (!found) return found.err();
  if (plan.from_definition && is_this_executable(*found))
    return fail(errc::config,
                plan.command.where + ": '" + command +
                    "' is mcp-launch itself, so the launch would start it again, and again. "
                    "Put the server's own command in the definition, and call "
                    "`mcp-launch --server " +
                    plan.label + "` from the MCP client's config");
  return {};
}

result<void> check_plan(const launch_plan& plan, const std::string& launcher_path_variable) {
  std::string cwd;
  if (plan.cwd) {
    const std::string* dir = literal(*plan.cwd);
    if (!dir) return {};
    struct stat st {};
    if (::stat(dir->c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      return fail(errc::config, plan.cwd->where + ": cwd " + *dir + " is not a directory");
    cwd = *dir;
  }
  const std::string* command = literal(plan.command);
  if (!command) return {};
  std::string search_path = launcher_path_variable;
  for (const auto& [name, field] : plan.env)
    if (name == "PATH") {
      const std::string* p = literal(field);
      if (!p) return {};
      search_path = *p;
    }
  std::string path = *command;
  if (!cwd.empty() && path.find('/') != std::string::npos && path.front() != '/')
    path = cwd + "/" + path;
  return check_command(plan, path, search_path);
}

}  // namespace mcpl
