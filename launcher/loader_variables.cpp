#include "launcher/loader_variables.hpp"

#include <string.h>
#include <unistd.h>

#include <cstdio>
#include <string_view>
#include <vector>

extern char** environ;

namespace mcpl {

void reexec_without_loader_variables(char** argv) {
  std::vector<std::string> renamed;
  bool any = false;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    bool loader = entry.starts_with("LD_");
    any = any || loader;
    renamed.push_back(loader ? kHeldPrefix + std::string(entry) : std::string(entry));
  }
  if (!any) return;
  std::vector<char*> envp;
  for (auto& r : renamed) envp.push_back(r.data());
  envp.push_back(nullptr);
  ::execve("/proc/self/exe", argv, envp.data());
  // No /proc (a bare container): nothing better to do than to go on, and say so.
  std::fprintf(stderr,
               "mcp-launch: warn: LD_* variables are set and the launcher could not execute "
               "itself again without them (/proc/self/exe: %s): NSS modules may load from "
               "LD_LIBRARY_PATH\n",
               strerror(errno));
}

void release_loader_variables(std::map<std::string, std::string>& env) {
  const std::string prefix = kHeldPrefix;
  for (auto it = env.begin(); it != env.end();) {
    if (it->first.starts_with(prefix + "LD_")) {
      env[it->first.substr(prefix.size())] = it->second;
      it = env.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace mcpl
