#include "platform/spawn.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

namespace mcpl {

namespace {

// What the child reports through the pipe when it cannot go on: which step, and errno.
struct child_failure {
  int step;
  int err;
};
enum : int { kStepSetup = 1, kStepCwd = 2, kStepExec = 3 };

[[noreturn]] void report_and_exit(int fd, int step, int err, int code) {
  child_failure f{step, err};
  ssize_t ignored = ::write(fd, &f, sizeof f);
  (void)ignored;
  _exit(code);
}

// A string of the child's that names the launcher's /proc entry, and room to write it again
// naming the child's: made before fork, filled in by the child without allocating.
struct own_path {
  char** slot;          // where argv or envp points at it
  const char* text;     // as prepared
  std::vector<char> room;
};

// Writes `p.text` into `room` with every `from` replaced by "/proc/PID/" (async-signal-safe:
// no allocation, no stdio).
void rename_proc(const own_path& p, const std::string& from, pid_t pid, char* room) {
  char reversed[16];
  int n = 0;
  for (unsigned long v = static_cast<unsigned long>(pid); v > 0 || n == 0; v /= 10)
    reversed[n++] = static_cast<char>('0' + v % 10);
  char* out = room;
  for (const char* in = p.text; *in;) {
    if (std::strncmp(in, from.c_str(), from.size()) != 0) {
      *out++ = *in++;
      continue;
    }
    for (const char* c = "/proc/"; *c; ++c) *out++ = *c;
    for (int i = n - 1; i >= 0; --i) *out++ = reversed[i];
    *out++ = '/';
    in += from.size();
  }
  *out = '\0';
}

// Everything the child does between fork and exec: async-signal-safe calls only.
[[noreturn]] void become_child(const spawn_options& opts, pid_t parent, int report,
                               char* const* argv, char* const* envp,
                               const std::vector<const char*>& paths,
                               std::vector<own_path>& own, const std::string& own_prefix) {
  pid_t self = ::getpid();
  for (auto& p : own) {
    rename_proc(p, own_prefix, self, p.room.data());
    *p.slot = p.room.data();
  }
  if (opts.stdin_fd >= 0 && ::dup2(opts.stdin_fd, STDIN_FILENO) < 0)
    report_and_exit(report, kStepSetup, errno, 126);
  if (opts.stdout_fd >= 0 && ::dup2(opts.stdout_fd, STDOUT_FILENO) < 0)
    report_and_exit(report, kStepSetup, errno, 126);
  if (opts.stderr_fd >= 0 && ::dup2(opts.stderr_fd, STDERR_FILENO) < 0)
    report_and_exit(report, kStepSetup, errno, 126);
  ::setpgid(0, 0);
  if (opts.terminal >= 0) {
    // Take the foreground, so that Ctrl-C reaches the child (once, from the kernel).
    // tcsetpgrp from a background group sends SIGTTOU unless it is ignored or blocked: it
    // is blocked here, as every signal is until the inherited mask comes back below.
    ::tcsetpgrp(opts.terminal, ::getpid());
  }
  // Die with the launcher, even when it is killed with SIGKILL; it may already be gone.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) report_and_exit(report, kStepSetup, errno, 126);
  if (::getppid() != parent) _exit(128 + SIGKILL);
  struct rlimit core {
    static_cast<rlim_t>(opts.core.soft), static_cast<rlim_t>(opts.core.hard)
  };
  ::setrlimit(RLIMIT_CORE, &core);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    struct sigaction sa {};
    sa.sa_handler = sigismember(&opts.signals.ignored, sig) ? SIG_IGN : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    ::sigaction(sig, &sa, nullptr);  // EINVAL for glibc's reserved signals: nothing to do
  }
  ::sigprocmask(SIG_SETMASK, &opts.signals.blocked, nullptr);
  if (!opts.cwd.empty() && ::chdir(opts.cwd.c_str()) != 0)
    report_and_exit(report, kStepCwd, errno, 126);
  // execvp's search, as exec_command does it: past missing entries, remembering one that
  // existed but could not be executed.
  int first_error = ENOENT;
  for (const char* path : paths) {
    ::execve(path, argv, envp);
    int err = errno;
    if (err == EACCES || err == EPERM)
      first_error = err;
    else if (err != ENOENT && err != ENOTDIR && err != ENAMETOOLONG && err != ELOOP)
      report_and_exit(report, kStepExec, err, 126);
    if (paths.size() == 1) first_error = err;
  }
  report_and_exit(report, kStepExec, first_error, first_error == ENOENT ? 127 : 126);
}

}  // namespace

std::string own_proc_prefix() { return "/proc/" + std::to_string(::getpid()) + "/"; }

result<pid_t> spawn_child(const spawn_options& opts) {
  const auto& req = opts.exec;
  if (req.argv.empty() || req.argv[0].empty())
    return fail(errc::config, "empty command: nothing to start");
  // Prepared before fork: the child must not allocate (another thread may hold malloc's lock).
  std::vector<char*> argv, envp;
  for (const auto& a : req.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : req.envp) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  auto found = candidates(req.argv[0], req.search_path);
  std::vector<const char*> paths;
  for (const auto& c : found) paths.push_back(c.c_str());
  std::string own_prefix = own_proc_prefix();
  std::vector<own_path> own;
  for (auto* list : {&argv, &envp})
    for (auto& slot : *list)
      if (slot && std::strstr(slot, own_prefix.c_str())) {
        std::size_t count = 0;
        for (const char* at = slot; (at = std::strstr(at, own_prefix.c_str())); at += own_prefix.size())
          ++count;
        own.push_back({&slot, slot, std::vector<char>(std::strlen(slot) + count * 16 + 1)});
      }

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    return fail(errc::internal, std::string("pipe2: ") + strerror(errno));
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return fail(errc::internal, std::string("fork: ") + strerror(err));
  }
  if (pid == 0) {
    ::close(pipe_fds[0]);
    become_child(opts, parent, pipe_fds[1], argv.data(), envp.data(), paths, own, own_prefix);
  }
  ::close(pipe_fds[1]);
  child_failure f{};
  ssize_t n;
  do {
    n = ::read(pipe_fds[0], &f, sizeof f);
  } while (n < 0 && errno == EINTR);
  ::close(pipe_fds[0]);
  if (n != static_cast<ssize_t>(sizeof f)) return pid;  // EOF: exec closed the pipe
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (f.step == kStepCwd) return fail(errc::config, opts.cwd + ": " + strerror(f.err));
  if (f.step == kStepSetup)
    return fail(errc::internal, std::string("starting the child: ") + strerror(f.err));
  return exec_failure(req.argv[0], f.err);
}

}  // namespace mcpl
