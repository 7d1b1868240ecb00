// Supervise mode (DESIGN §8): the launcher stays as the child's parent with the duties of an
// init — every signal it receives passed on once, every zombie reaped (as PID 1, or as a
// subreaper elsewhere), the child's exit status for its own.
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "launcher/logging.hpp"
#include "launcher/modes.hpp"
#include "launcher/preflight.hpp"
#include "platform/reaper.hpp"
#include "platform/signal_feed.hpp"
#include "platform/spawn.hpp"

namespace mcpl {

namespace {

// The terminal whose foreground the child's process group takes: stdin's, when the
// launcher's own group has it (an interactive shell started us in the foreground).
int foreground_terminal() {
  if (!::isatty(STDIN_FILENO)) return -1;
  return ::tcgetpgrp(STDIN_FILENO) == ::getpgrp() ? STDIN_FILENO : -1;
}

int exit_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return exit_code(errc::internal);
}

bool job_control(int sig) { return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU; }

// Reads signals until the child has exited: SIGCHLD reaps, the rest go to the child.
asio::awaitable<result<int>> supervise(signal_feed& feed, reaper& reap, pid_t child) {
  for (;;) {
    auto got = co_await feed.next();
    if (!got) co_return got.err();
    int sig = static_cast<int>(got->ssi_signo);
    if (sig == SIGCHLD) {
      reap.reap();
      if (auto status = reap.exited(child)) co_return *status;
      continue;
    }
    if (!forwardable(sig)) continue;
    log::debug("passing signal " + std::to_string(sig) + " on to the child");
    ::kill(child, sig);
    // Job control as dumb-init does it: the child stops, then so does the launcher, so that
    // the shell sees its job stopped; SIGCONT, passed on above, wakes the child again.
    if (job_control(sig)) ::kill(::getpid(), SIGSTOP);
  }
}

asio::awaitable<void> supervise_into(signal_feed& feed, reaper& reap, pid_t child,
                                     result<int>& out) {
  out = co_await supervise(feed, reap, child);
}

}  // namespace

bool supervising(const options& o) { return o.supervise || (::getpid() == 1 && !o.exec); }

int run_supervise(const app_context& app, const launch_plan& plan, const prepared_child& child) {
  if (plan.from_definition) {
    std::string command = child.exec.argv[0];
    if (!child.cwd.empty() && command.find('/') != std::string::npos && command[0] != '/')
      command = child.cwd + "/" + command;
    if (auto r = check_command(plan, command, child.exec.search_path); !r) {
      log::error(r.err().message);
      return exit_code(r.err().code);
    }
  }
  asio::io_context io(1);
  // Orphans of the child's tree come to us, as they would to PID 1, and are reaped.
  if (::getpid() != 1) ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  auto feed = open_signal_feed(io.get_executor());
  if (!feed) {
    log::error(feed.err().message);
    return exit_code(feed.err().code);
  }
  int terminal = foreground_terminal();
  auto pid = spawn_child({child.exec, child.cwd, app.inherited_signals, app.inherited_core_limit,
                          terminal});
  if (!pid) {
    log::error(pid.err().message);
    return exit_code(pid.err().code);
  }
  reaper reap(io.get_executor());
  reap.expect(*pid);
  reap.reap();  // it may have exited before its SIGCHLD could be read
  log::debug("supervising " + child.exec.argv[0] + " (PID " + std::to_string(*pid) + ")");
  result<int> status = fail(errc::internal, "the supervisor stopped early");
  if (auto early = reap.exited(*pid)) {
    status = *early;
  } else {
    asio::co_spawn(io, supervise_into(**feed, reap, *pid, status), [&](std::exception_ptr) {
      io.stop();
    });
    io.run();
  }
  if (terminal >= 0) ::tcsetpgrp(terminal, ::getpgrp());  // SIGTTOU is blocked: no stop
  if (!status) {
    log::error(status.err().message);
    ::kill(*pid, SIGKILL);
    return exit_code(status.err().code);
  }
  return exit_status(*status);
}

}  // namespace mcpl
