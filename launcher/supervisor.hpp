// The supervise loop (DESIGN §8): one child at a time — started, its signals passed on, its
// zombies and orphans reaped, restarted as --restart says, replaced when --refresh finds a
// value changed — with the client's session kept across children by the relay.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "launcher/modes.hpp"
#include "launcher/output_mask.hpp"
#include "launcher/session_relay.hpp"
#include "platform/reaper.hpp"
#include "platform/sd_notify.hpp"
#include "platform/signal_feed.hpp"

namespace mcpl {

struct supervise_policy {
  std::string restart = "no";  ///< no, on-failure, always
  int stop_signal = SIGTERM;
  std::chrono::milliseconds stop_timeout{10'000};
  std::chrono::milliseconds refresh{0};  ///< 0: no re-resolution
  bool mask = false;                     ///< --mask
};

/// systemd's side: where to say READY=1 and STATUS=, and how often WATCHDOG=1.
struct service_manager {
  std::unique_ptr<service_notifier> notify;
  std::chrono::microseconds watchdog{0};  ///< 0: no watchdog
  void say(const std::string& message);
};

/// A re-resolution for a restart or --refresh: the values of the launch's references in
/// order, and the child they make (made only when asked, since `| file` makes new memfds).
struct refreshed {
  std::vector<std::string> values;
  std::function<result<prepared_child>()> child;
};
/// Resolves the launch's references again; `fresh` reads past the cache (a restart: the
/// values as they are now), otherwise through it (--refresh).
using resolver_fn = std::function<asio::awaitable<result<refreshed>>(bool fresh)>;

class supervisor {
 public:
  supervisor(asio::io_context& io, const app_context& app, prepared_child child,
             std::vector<std::string> values, supervise_policy policy, signal_feed& feed,
             service_manager& service, resolver_fn resolve, reaper& reap);

  /// The terminal whose foreground each child's process group takes (-1: none).
  void set_terminal(int terminal) { terminal_ = terminal; }

  /// Runs children until one's end is final; its exit code (or 128+N).
  asio::awaitable<int> run();

 private:
  asio::awaitable<void> signals();
  asio::awaitable<void> watch_client();
  asio::awaitable<void> drain();
  asio::awaitable<void> watchdog();
  asio::awaitable<void> refresh();
  asio::awaitable<void> kill_after_timeout(pid_t pid);
  std::chrono::steady_clock::time_point next_refresh();
  void rotate(result<refreshed> next);
  asio::awaitable<std::optional<int>> renew_values();
  void stop_child(int sig);

  asio::io_context& io_;
  const app_context& app_;
  prepared_child child_;
  std::vector<std::string> values_;
  supervise_policy policy_;
  signal_feed& feed_;
  service_manager& service_;
  resolver_fn resolve_;
  reaper& reap_;  // the launcher's one waitpid(-1), shared with the stores' helper programs
  async_event ending_;
  std::unique_ptr<output_mask> mask_;     // with --mask
  std::unique_ptr<session_relay> relay_;  // with --restart or --refresh
  int terminal_ = -1;
  pid_t pid_ = 0;
  bool stopping_ = false;  // the launcher is ending: no restart
  bool rotating_ = false;  // the launcher stopped the child for new values: start it again
  std::mt19937 random_{std::random_device{}()};
};

}  // namespace mcpl
