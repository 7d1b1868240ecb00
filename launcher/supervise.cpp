// Supervise mode (DESIGN §8), set up: the options, systemd's side, what the child must not
// inherit, the subreaper flag and the signal feed; the loop itself is launcher/supervisor.
#include <sys/prctl.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "core/duration.hpp"
#include "launcher/logging.hpp"
#include "launcher/preflight.hpp"
#include "launcher/supervisor.hpp"

namespace mcpl {

namespace {

// The terminal whose foreground the child's process group takes: stdin's, when the
// launcher's own group has it (an interactive shell started us in the foreground).
int foreground_terminal() {
  if (!::isatty(STDIN_FILENO)) return -1;
  return ::tcgetpgrp(STDIN_FILENO) == ::getpgrp() ? STDIN_FILENO : -1;
}

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

result<supervise_policy> policy_of(const app_context& app) {
  const options& o = app.opts;
  supervise_policy p;
  p.restart = o.restart;
  p.mask = o.mask;
  auto sig = parse_signal(o.stop_signal);
  if (!sig) return fail(errc::usage, "--stop-signal: " + sig.err().message);
  p.stop_signal = *sig;
  auto timeout = parse_duration(o.stop_timeout);
  if (!timeout) return fail(errc::usage, "--stop-timeout: " + timeout.err().message);
  p.stop_timeout = *timeout;
  if (!o.refresh.empty()) {
    auto every = parse_duration(o.refresh);
    if (!every) return fail(errc::usage, "--refresh: " + every.err().message);
    // Values are fetched again once their cache entry is older than cache.ttl (DESIGN §5):
    // the longer of the two is the period.
    p.refresh = std::max(*every, app.settings.cache_ttl);
    if (*every < app.settings.cache_ttl)
      log::info("--refresh " + o.refresh + " is shorter than cache.ttl; refreshing every " +
                std::to_string(p.refresh.count() / 1000) + "s");
  }
  return p;
}

asio::awaitable<void> run_into(supervisor& s, int& out) { out = co_await s.run(); }

// The launch's references resolved again, by the stores that resolved them first: their
// cache, connections and login tokens carry over.
asio::awaitable<result<refreshed>> resolve_again(const app_context& app, const launch_plan& plan,
                                                 resolution_session& session, bool fresh) {
  auto run =
      std::make_shared<resolution_run>(co_await session.resolve(plan.all_references(), fresh));
  if (run->worst) {
    report_failures(*run);
    co_return fail(*run->worst, "resolving the references again failed");
  }
  refreshed r;
  for (const auto& v : run->results) r.values.push_back(*v.value);
  r.child = [&app, &plan, run] { return prepare_child(app, plan, *run); };
  co_return r;
}

}  // namespace

bool supervising(const options& o) { return o.supervise || (::getpid() == 1 && !o.exec); }

int run_supervise(const app_context& app, const launch_plan& plan, const prepared_child& child,
                  std::vector<std::string> values, resolution_home& home) {
  auto fail_with = [](const error& e) {
    log::error(e.message);
    return exit_code(e.code);
  };
  auto policy = policy_of(app);
  if (!policy) return fail_with(policy.err());
  if (plan.from_definition) {
    std::string command = child.exec.argv[0];
    if (!child.cwd.empty() && command.find('/') != std::string::npos && command[0] != '/')
      command = child.cwd + "/" + command;
    if (auto r = check_command(plan, command, child.exec.search_path); !r)
      return fail_with(r.err());
  }
  auto service = service_manager_of(app.env);
  if (!service) return fail_with(service.err());
  resolver_fn resolve = [&app, &plan, &home](bool fresh) {
    return resolve_again(app, plan, home.session, fresh);
  };
  asio::io_context& io = home.io;
  // Orphans of the child's tree come to us, as they would to PID 1, and are reaped.
  if (::getpid() != 1) ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  auto feed = open_signal_feed(io.get_executor());
  if (!feed) return fail_with(feed.err());
  int terminal = foreground_terminal();
  supervisor s(io, app, child, std::move(values), *policy, **feed, *service, resolve, home.reap);
  s.set_terminal(terminal);
  int code = exit_code(errc::internal);
  asio::co_spawn(io, run_into(s, code), [&](std::exception_ptr) { io.stop(); });
  io.run();
  if (terminal >= 0) ::tcsetpgrp(terminal, ::getpgrp());  // SIGTTOU is blocked: no stop
  return code;
}

}  // namespace mcpl
