#include "platform/spawn.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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

// Everything the child does between fork and exec: async-signal-safe calls only.
[[noreturn]] void become_child(const spawn_options& opts, pid_t parent, int report,
                               char* const* argv, char* const* envp,
                               const std::vector<const char*>& paths) {
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
    become_child(opts, parent, pipe_fds[1], argv.data(), envp.data(), paths);
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
  if (f.step == kStepSetup) return fail(errc::internal, std::string("prctl: ") + strerror(f.err));
  return exec_failure(req.argv[0], f.err);
}

}  // namespace mcpl
