// Keeping the MCP client's session across restarts of the server (DESIGN §8, last rule): the
// launcher sits between its own stdin/stdout and the child's, a whole JSON-RPC line at a
// time; it keeps the client's `initialize` and `notifications/initialized`, replays them to a
// new child, drops that child's answer to the replay, and answers every request that was in
// flight when a child stopped with a JSON-RPC error.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <string>

#include "bridge/relay.hpp"
#include "core/async.hpp"
#include "core/result.hpp"

namespace mcpl {

class session_relay {
 public:
  /// `shown` gives each line as it is to be written to stdout (--mask masks it).
  using line_filter = std::function<std::string(std::string_view)>;
  session_relay(asio::any_io_executor ex, bridge_notes notes, line_filter shown = {});
  ~session_relay();

  /// The pipes a new child gets as stdin and stdout (the launcher keeps the other ends).
  /// Fails with errc::internal when pipes cannot be made.
  struct child_ends {
    int stdin_fd = -1, stdout_fd = -1;
  };
  result<child_ends> open_child();

  /// The child is running: its ends are closed here, the client's initialize and
  /// initialized are replayed to it, and the lines queued meanwhile follow.
  void child_started(child_ends ends);

  /// The child has stopped: requests in flight get an error naming `why`.
  void child_stopped(const std::string& why);

  /// True when the last child's stdout has been read to its end.
  bool drained() const { return !reading_; }

  struct state;  ///< one child's pipes

  /// Starts reading the launcher's stdin.
  void start();

  /// Set when the launcher's stdin has ended: the client is gone, the session is over.
  async_event& client_gone() { return client_gone_; }

 private:
  asio::awaitable<void> read_client();
  asio::awaitable<void> read_child(std::shared_ptr<state> child);
  void to_child(const std::string& line);

  asio::any_io_executor ex_;
  relay client_;
  async_event client_gone_;
  std::string initialize_, initialized_;
  std::vector<std::string> queued_;  // lines for a child not yet there
  std::shared_ptr<state> child_;
  bool reading_ = false;
};

}  // namespace mcpl
