#include "launcher/supervisor.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "launcher/logging.hpp"
#include "platform/spawn.hpp"
#include "platform/stdio.hpp"

namespace mcpl {

using namespace asio::experimental::awaitable_operators;

namespace {

using clock = std::chrono::steady_clock;

int exit_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return exit_code(errc::internal);
}

bool job_control(int sig) { return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU; }

// Signals that ask the launcher itself to end: the child gets them, and is not restarted.
bool termination(int sig) {
  return sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT;
}

}  // namespace

void service_manager::say(const std::string& message) {
  if (!notify) return;
  if (auto r = notify->send(message); !r) log::debug(r.err().message);
}

supervisor::supervisor(asio::io_context& io, const app_context& app, prepared_child child,
                       std::vector<std::string> values, supervise_policy policy, signal_feed& feed,
                       service_manager& service, resolver_fn resolve, reaper& reap)
    : io_(io),
      app_(app),
      child_(std::move(child)),
      values_(std::move(values)),
      policy_(std::move(policy)),
      feed_(feed),
      service_(service),
      resolve_(std::move(resolve)),
      reap_(reap),
      ending_(io.get_executor()) {
  if (policy_.mask) {
    mask_ = std::make_unique<output_mask>(io.get_executor());
    mask_->add_values(values_);
  }
  // The MCP session is relayed across children when there is one: stdin a pipe, socket or
  // terminal. A service's stdin (/dev/null) carries none, and its end would end the launcher.
  if ((policy_.restart != "no" || policy_.refresh.count() > 0) && is_channel(STDIN_FILENO)) {
    session_relay::line_filter shown;
    if (mask_) shown = [mask = mask_.get()](std::string_view line) { return mask->line(line); };
    relay_ =
        std::make_unique<session_relay>(io.get_executor(), log_notes(app.redact), std::move(shown));
  }
}

asio::awaitable<int> supervisor::run() {
  asio::co_spawn(io_, signals(), asio::detached);
  if (service_.watchdog.count() > 0) asio::co_spawn(io_, watchdog(), asio::detached);
  if (policy_.refresh.count() > 0) asio::co_spawn(io_, refresh(), asio::detached);
  if (relay_) {
    relay_->start();
    asio::co_spawn(io_, watch_client(), asio::detached);
  }
  auto backoff = std::chrono::seconds(1);
  for (int started = 0;; ++started) {
    spawn_options opts{child_.exec, child_.cwd, app_.inherited_signals, app_.inherited_core_limit,
                       terminal_};
    session_relay::child_ends ends;
    if (relay_) {
      auto opened = relay_->open_child();
      if (!opened) co_return exit_code(opened.err().code);
      ends = *opened;
      opts.stdin_fd = ends.stdin_fd;
      opts.stdout_fd = ends.stdout_fd;
    }
    std::vector<int> masked;  // write ends of the --mask pipes, the child's once it runs
    if (mask_) {
      for (auto [to, slot] :
           {std::pair{STDOUT_FILENO, &opts.stdout_fd}, {STDERR_FILENO, &opts.stderr_fd}}) {
        if (relay_ && to == STDOUT_FILENO) continue;  // the relay masks whole lines itself
        auto end = mask_->pipe_to(to);
        if (!end) co_return exit_code(end.err().code);
        *slot = *end;
        masked.push_back(*end);
      }
    }
    auto pid = spawn_child(opts);
    for (int fd : masked) ::close(fd);
    if (!pid) {
      log::error(pid.err().message);
      co_return exit_code(pid.err().code);
    }
    pid_ = *pid;
    reap_.expect(pid_);
    reap_.reap();  // it may have exited before its SIGCHLD could be read
    if (relay_) relay_->child_started(ends);
    auto since = clock::now();
    log::debug("supervising " + child_.exec.argv[0] + " (PID " + std::to_string(pid_) + ")");
    service_.say(started == 0 ? "READY=1\nSTATUS=running " + child_.exec.argv[0]
                              : "STATUS=running " + child_.exec.argv[0] + " (start " +
                                    std::to_string(started + 1) + ")");
    int status = co_await reap_.wait_for(pid_);
    pid_ = 0;
    co_await drain();
    int code = exit_status(status);
    if (relay_) relay_->child_stopped("the server stopped (exit " + std::to_string(code) + ")");
    if (rotating_ && !stopping_) {
      rotating_ = false;  // stopped for new values: not a failure, no backoff
      backoff = std::chrono::seconds(1);
      continue;
    }
    if (stopping_ || policy_.restart == "no" || (policy_.restart == "on-failure" && code == 0))
      co_return code;
    if (clock::now() - since >= std::chrono::minutes(1)) backoff = std::chrono::seconds(1);
    std::string why = child_.exec.argv[0] + " ended (exit " + std::to_string(code) +
                      "); restarting in " + std::to_string(backoff.count()) + "s";
    log::warn(why);
    service_.say("STATUS=" + why);
    co_await (sleep_until(clock::now() + backoff) || ending_.wait());
    if (stopping_) co_return code;
    backoff = std::min<std::chrono::seconds>(backoff * 2, std::chrono::minutes(1));
    if (auto stop = co_await renew_values()) co_return *stop;
    if (stopping_) co_return code;  // asked to end while the values were resolved again
  }
}

asio::awaitable<void> supervisor::signals() {
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
    // Job control as dumb-init does it: the child stops, then so does the launcher, so that
    // the shell sees its job stopped; SIGCONT, passed on, wakes the child again.
    if (job_control(sig)) ::kill(::getpid(), SIGSTOP);
  }
}

asio::awaitable<std::optional<int>> supervisor::renew_values() {
  // A restarted child gets the values as they are now (a secret may have rotated, a store
  // token expired). A refusal or a configuration error will not mend itself: it ends the
  // launcher with its code; a store that is only unavailable leaves the values as they were.
  auto next = co_await resolve_(true);
  if (!next) {
    int code = exit_code(next.err().code);
    if (code != exit_code(errc::unavailable)) {
      log::error("restart: " + next.err().message);
      co_return code;
    }
    log::warn("restart: " + next.err().message + "; starting with the values as they were");
    co_return std::nullopt;
  }
  if (next->values == values_) co_return std::nullopt;
  auto made = next->child();
  if (!made) {
    log::error("restart: " + made.err().message);
    co_return exit_code(made.err().code);
  }
  values_ = std::move(next->values);
  if (mask_) mask_->add_values(values_);
  child_ = std::move(*made);
  co_return std::nullopt;
}

asio::awaitable<void> supervisor::drain() {
  // What the child wrote just before it exited is still in the pipes: read it to the end
  // (unless something it started keeps them open: then a second is enough).
  auto until = clock::now() + std::chrono::seconds(1);
  while (clock::now() < until && ((mask_ && !mask_->drained()) || (relay_ && !relay_->drained())))
    co_await sleep_until(clock::now() + std::chrono::milliseconds(5));
}

asio::awaitable<void> supervisor::watch_client() {
  // The client closed the launcher's stdin: the session is over; the child's stdin ends too,
  // and when it exits it is not restarted.
  co_await relay_->client_gone().wait();
  stopping_ = true;
  ending_.set();
}

asio::awaitable<void> supervisor::watchdog() {
  for (;;) {
    service_.say("WATCHDOG=1");
    co_await sleep_until(clock::now() + service_.watchdog / 2);
  }
}

std::chrono::steady_clock::time_point supervisor::next_refresh() {
  // A little random splay, so that launchers started together do not ask together.
  std::uniform_int_distribution<long> splay(0, policy_.refresh.count() / 10);
  return clock::now() + policy_.refresh + std::chrono::milliseconds(splay(random_));
}

asio::awaitable<void> supervisor::refresh() {
  for (;;) {
    co_await (sleep_until(next_refresh()) || ending_.wait());
    if (stopping_) co_return;
    auto next = co_await resolve_(false);
    if (stopping_) co_return;
    rotate(std::move(next));
  }
}

void supervisor::rotate(result<refreshed> next) {
  if (!next) {
    log::warn("refresh: " + next.err().message + "; keeping the running server");
    return;
  }
  if (next->values == values_) {
    log::debug("refresh: no value changed");
    return;
  }
  auto made = next->child();
  if (!made) {
    log::warn("refresh: " + made.err().message + "; keeping the running server");
    return;
  }
  values_ = std::move(next->values);
  if (mask_) mask_->add_values(values_);
  child_ = std::move(*made);
  log::info("refresh: a value changed; restarting " + child_.exec.argv[0] + " with it");
  service_.say("STATUS=restarting " + child_.exec.argv[0] + ": a value changed");
  if (pid_) {
    rotating_ = true;
    stop_child(policy_.stop_signal);
  }
}

void supervisor::stop_child(int sig) {
  ::killpg(pid_, sig);
  asio::co_spawn(io_, kill_after_timeout(pid_), asio::detached);
}

asio::awaitable<void> supervisor::kill_after_timeout(pid_t pid) {
  co_await sleep_until(clock::now() + policy_.stop_timeout);
  if (reap_.exited(pid)) co_return;
  log::warn(child_.exec.argv[0] + " did not stop within " +
            std::to_string(policy_.stop_timeout.count()) + " ms; killing it");
  ::killpg(pid, SIGKILL);
  ::kill(pid, SIGKILL);
}

}  // namespace mcpl
