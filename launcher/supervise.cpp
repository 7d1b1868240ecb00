// Supervise mode (DESIGN §8): the launcher stays as the child's parent with the duties of an
// init — every signal it receives passed on once, every zombie reaped (as PID 1, or as a
// subreaper elsewhere), the child restarted as --restart says, its exit status for its own.
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>

#include "core/duration.hpp"
#include "launcher/logging.hpp"
#include "launcher/modes.hpp"
#include "launcher/preflight.hpp"
#include "platform/reaper.hpp"
#include "platform/sd_notify.hpp"
#include "platform/signal_feed.hpp"
#include "platform/spawn.hpp"

namespace mcpl {

using namespace asio::experimental::awaitable_operators;

namespace {

using clock = std::chrono::steady_clock;

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

// Signals that ask the launcher itself to end: the child gets them, and is not restarted.
bool termination(int sig) { return sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT; }

struct restart_policy {
  std::string when = "no";  // no, on-failure, always
  int stop_signal = SIGTERM;
  std::chrono::milliseconds stop_timeout{10'000};
};

// systemd's side: where to say READY=1 and STATUS=, and how often to say WATCHDOG=1.
struct service_manager {
  std::unique_ptr<service_notifier> notify;
  std::chrono::microseconds watchdog{0};  // 0: no watchdog

  void say(const std::string& message) {
    if (!notify) return;
    if (auto r = notify->send(message); !r) log::debug(r.err().message);
  }
};

// Variables of the service manager's for the launcher, not the child (which is not the
// service's main process): not passed on unless --keep-env names them.
constexpr const char* kServiceVariables[] = {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"};

result<service_manager> service_manager_of(const environment& env) {
  service_manager m;
  auto socket = env.find("NOTIFY_SOCKET");
  if (socket == env.end() || socket->second.empty()) return m;
  auto made = make_notifier(socket->second);
  if (!made) return made.err();
  m.notify = std::move(*made);
  auto usec = env.find("WATCHDOG_USEC");
  auto pid = env.find("WATCHDOG_PID");
  bool ours = pid == env.end() || pid->second == std::to_string(::getpid());
  if (usec != env.end() && ours) {
    try {
      m.watchdog = std::chrono::microseconds(std::stoull(usec->second));
    } catch (const std::exception&) {
      log::warn("WATCHDOG_USEC is not a number; no watchdog");
    }
  }
  return m;
}

class supervisor {
 public:
  supervisor(asio::io_context& io, const app_context& app, const prepared_child& child,
             restart_policy policy, signal_feed& feed, service_manager& service)
      : io_(io), app_(app), child_(child), policy_(std::move(policy)), feed_(feed),
        service_(service), reap_(io.get_executor()), ending_(io.get_executor()) {}

  // Runs children until one's end is final; its exit status.
  asio::awaitable<int> run() {
    asio::co_spawn(io_, signals(), asio::detached);
    if (service_.watchdog.count() > 0) asio::co_spawn(io_, watchdog(), asio::detached);
    auto backoff = std::chrono::seconds(1);
    for (int started = 0;; ++started) {
      auto pid = spawn_child({child_.exec, child_.cwd, app_.inherited_signals,
                              app_.inherited_core_limit, terminal_});
      if (!pid) {
        log::error(pid.err().message);
        co_return exit_code(pid.err().code);
      }
      pid_ = *pid;
      reap_.expect(pid_);
      reap_.reap();  // it may have exited before its SIGCHLD could be read
      auto since = clock::now();
      log::debug("supervising " + child_.exec.argv[0] + " (PID " + std::to_string(pid_) + ")");
      service_.say(started == 0 ? "READY=1\nSTATUS=running " + child_.exec.argv[0]
                                : "STATUS=running " + child_.exec.argv[0] + " (restart " +
                                      std::to_string(started) + ")");
      int status = co_await reap_.wait_for(pid_);
      pid_ = 0;
      int code = exit_status(status);
      if (stopping_ || policy_.when == "no" || (policy_.when == "on-failure" && code == 0))
        co_return code;
      if (clock::now() - since >= std::chrono::minutes(1)) backoff = std::chrono::seconds(1);
      std::string why = child_.exec.argv[0] + " ended (exit " + std::to_string(code) +
                        "); restarting in " + std::to_string(backoff.count()) + "s";
      log::warn(why);
      service_.say("STATUS=" + why);
      co_await (sleep_until(clock::now() + backoff) || ending_.wait());
      if (stopping_) co_return code;
      backoff = std::min<std::chrono::seconds>(backoff * 2, std::chrono::minutes(1));
    }
  }

  void set_terminal(int terminal) { terminal_ = terminal; }

 private:
  // Reads signals for as long as the launcher runs: SIGCHLD reaps, the rest go to the child.
  asio::awaitable<void> signals() {
    for (;;) {
      auto got = co_await feed_.next();
      if (!got) {
        log::error(got.err().message);
        co_return;
      }
      int sig = static_cast<int>(got->ssi_signo);
      if (sig == SIGCHLD) {
        reap_.reap();
        continue;
      }
      if (!forwardable(sig)) continue;
      if (termination(sig) && !stopping_) {
        stopping_ = true;
        ending_.set();
        if (pid_) asio::co_spawn(io_, kill_after_timeout(pid_), asio::detached);
      }
      if (!pid_) continue;
      log::debug("passing signal " + std::to_string(sig) + " on to the child");
      ::kill(pid_, sig);
      // Job control as dumb-init does it: the child stops, then so does the launcher, so
      // that the shell sees its job stopped; SIGCONT, passed on, wakes the child again.
      if (job_control(sig)) ::kill(::getpid(), SIGSTOP);
    }
  }

  // WATCHDOG=1 at half the interval systemd asked for, for as long as the launcher runs.
  asio::awaitable<void> watchdog() {
    for (;;) {
      service_.say("WATCHDOG=1");
      co_await sleep_until(clock::now() + service_.watchdog / 2);
    }
  }

  // The launcher is ending: a child still there after the stop timeout is killed, with its
  // process group.
  asio::awaitable<void> kill_after_timeout(pid_t pid) {
    co_await sleep_until(clock::now() + policy_.stop_timeout);
    if (reap_.exited(pid)) co_return;
    log::warn(child_.exec.argv[0] + " did not stop within " +
              std::to_string(policy_.stop_timeout.count()) + " ms; killing it");
    ::killpg(pid, SIGKILL);
    ::kill(pid, SIGKILL);
  }

  asio::io_context& io_;
  const app_context& app_;
  const prepared_child& child_;
  restart_policy policy_;
  signal_feed& feed_;
  service_manager& service_;
  reaper reap_;
  async_event ending_;
  int terminal_ = -1;
  pid_t pid_ = 0;
  bool stopping_ = false;
};

asio::awaitable<void> run_into(supervisor& s, int& out) { out = co_await s.run(); }

result<restart_policy> policy_of(const options& o) {
  restart_policy p;
  p.when = o.restart;
  auto sig = parse_signal(o.stop_signal);
  if (!sig) return fail(errc::usage, "--stop-signal: " + sig.err().message);
  p.stop_signal = *sig;
  auto timeout = parse_duration(o.stop_timeout);
  if (!timeout) return fail(errc::usage, "--stop-timeout: " + timeout.err().message);
  p.stop_timeout = *timeout;
  return p;
}

}  // namespace

bool supervising(const options& o) { return o.supervise || (::getpid() == 1 && !o.exec); }

int run_supervise(const app_context& app, const launch_plan& plan, const prepared_child& child) {
  auto policy = policy_of(app.opts);
  if (!policy) {
    log::error(policy.err().message);
    return exit_code(policy.err().code);
  }
  if (plan.from_definition) {
    std::string command = child.exec.argv[0];
    if (!child.cwd.empty() && command.find('/') != std::string::npos && command[0] != '/')
      command = child.cwd + "/" + command;
    if (auto r = check_command(plan, command, child.exec.search_path); !r) {
      log::error(r.err().message);
      return exit_code(r.err().code);
    }
  }
  auto service = service_manager_of(app.env);
  if (!service) {
    log::error(service.err().message);
    return exit_code(service.err().code);
  }
  prepared_child mine = child;
  std::erase_if(mine.exec.envp, [&](const std::string& entry) {
    for (const char* name : kServiceVariables)
      if (entry.rfind(std::string(name) + "=", 0) == 0 &&
          std::find(app.opts.keep_env.begin(), app.opts.keep_env.end(), name) ==
              app.opts.keep_env.end())
        return true;
    return false;
  });
  asio::io_context io(1);
  // Orphans of the child's tree come to us, as they would to PID 1, and are reaped.
  if (::getpid() != 1) ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  auto feed = open_signal_feed(io.get_executor());
  if (!feed) {
    log::error(feed.err().message);
    return exit_code(feed.err().code);
  }
  int terminal = foreground_terminal();
  supervisor s(io, app, mine, *policy, **feed, *service);
  s.set_terminal(terminal);
  int code = exit_code(errc::internal);
  asio::co_spawn(io, run_into(s, code), [&](std::exception_ptr) { io.stop(); });
  io.run();
  if (terminal >= 0) ::tcsetpgrp(terminal, ::getpgrp());  // SIGTTOU is blocked: no stop
  return code;
}

}  // namespace mcpl
