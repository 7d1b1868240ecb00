#include "platform/process.hpp"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mcpl {

namespace {

std::string default_path() {
  std::size_t n = confstr(_CS_PATH, nullptr, 0);
  if (n == 0) return "/bin:/usr/bin";
  std::string out(n, '\0');
  confstr(_CS_PATH, out.data(), n);
  out.resize(n - 1);
  return out;
}

}  // namespace

error exec_failure(const std::string& command, int err) {
  if (err == ENOENT) return fail(errc::command_not_found, command + ": command not found");
  if (err == ENOEXEC)
    return fail(errc::cannot_execute,
                command + ": not an executable format (mcp-launch never runs a shell)");
  return fail(errc::cannot_execute, command + ": " + strerror(err));
}

std::vector<std::string> candidates(const std::string& command, const std::string& search_path) {
  if (command.find('/') != std::string::npos) return {command};
  std::vector<std::string> out;
  std::string path = search_path.empty() ? default_path() : search_path;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t colon = path.find(':', pos);
    if (colon == std::string::npos) colon = path.size();
    std::string dir = path.substr(pos, colon - pos);
    out.push_back((dir.empty() ? "." : dir) + "/" + command);
    pos = colon + 1;
  }
  return out;
}

error exec_command(const exec_request& req) {
  if (req.argv.empty() || req.argv[0].empty())
    return fail(errc::config, "empty command: nothing to start");
  std::vector<char*> argv;
  for (const auto& a : req.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : req.envp) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  const std::string& command = req.argv[0];
  if (command.find('/') != std::string::npos) {
    execve(command.c_str(), argv.data(), envp.data());
    return exec_failure(command, errno);
  }
  // execvp's search, in the child's PATH: keep going past missing entries, remember that
  // one existed but was not executable.
  int first_error = ENOENT;
  for (const auto& candidate : candidates(command, req.search_path)) {
    execve(candidate.c_str(), argv.data(), envp.data());
    int err = errno;
    switch (err) {
      case ENOENT:
      case ENOTDIR:
      case ENAMETOOLONG:
      case ELOOP:
        break;
      case EACCES:
      case EPERM:
        first_error = err;
        break;
      default:
        return exec_failure(command, err);
    }
  }
  return exec_failure(command, first_error);
}

result<std::string> locate_command(const std::string& command, const std::string& search_path) {
  if (command.empty()) return fail(errc::config, "empty command: nothing to start");
  auto usable = [](const std::string& path) -> int {  // 0, or why not
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return errno;
    if (!S_ISREG(st.st_mode) || ::access(path.c_str(), X_OK) != 0) return EACCES;
    return 0;
  };
  int first_error = ENOENT;
  for (const auto& candidate : candidates(command, search_path)) {
    int why = usable(candidate);
    if (why == 0) return candidate;
    if (why == EACCES) first_error = EACCES;
  }
  return exec_failure(command, first_error);
}

bool is_this_executable(const std::string& path) {
  struct stat self {};
  struct stat other {};
  return ::stat("/proc/self/exe", &self) == 0 && ::stat(path.c_str(), &other) == 0 &&
         self.st_dev == other.st_dev && self.st_ino == other.st_ino;
}

result<core_limit> harden_process() {
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    return fail(errc::internal, std::string("prctl(PR_SET_DUMPABLE): ") + strerror(errno));
  struct rlimit inherited {};
  if (getrlimit(RLIMIT_CORE, &inherited) != 0)
    return fail(errc::internal, std::string("getrlimit(RLIMIT_CORE): ") + strerror(errno));
  struct rlimit none = inherited;
  none.rlim_cur = 0;  // the hard limit stays, so the child can be given the soft one back
  if (setrlimit(RLIMIT_CORE, &none) != 0)
    return fail(errc::internal, std::string("setrlimit(RLIMIT_CORE): ") + strerror(errno));
  return core_limit{inherited.rlim_cur, inherited.rlim_max};
}

result<void> restore_core_limit(const core_limit& limit) {
  struct rlimit inherited {};
  inherited.rlim_cur = limit.soft;
  inherited.rlim_max = limit.hard;
  if (setrlimit(RLIMIT_CORE, &inherited) != 0)
    return fail(errc::internal, std::string("setrlimit(RLIMIT_CORE): ") + strerror(errno));
  return {};
}

result<void> change_directory(const std::string& dir) {
  if (chdir(dir.c_str()) != 0) return fail(errc::config, "cwd " + dir + ": " + strerror(errno));
  return {};
}

}  // namespace mcpl
