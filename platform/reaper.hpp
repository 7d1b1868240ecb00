// The one place that calls waitpid(-1) (DESIGN §8): an init reaps every child that exits —
// its own, and every orphan the kernel hands it — and gives the exit status of the children
// it started to whoever waits for them.
#pragma once

#include <sys/types.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <map>
#include <memory>
#include <optional>

#include "core/async.hpp"

namespace mcpl {

class reaper {
 public:
  explicit reaper(asio::any_io_executor ex) : ex_(ex) {}

  /// `pid` is a child of ours whose status someone will want; call it right after starting
  /// it, before the next `reap`.
  void expect(pid_t pid);

  /// Reaps every child that has exited, until none is left to reap (several exits can merge
  /// into one SIGCHLD). Returns how many it reaped.
  std::size_t reap();

  /// The wait status of `pid` (expected), once it has exited.
  asio::awaitable<int> wait_for(pid_t pid);

  /// The status of `pid` if it has exited, without waiting.
  std::optional<int> exited(pid_t pid) const;

 private:
  struct watched {
    std::optional<int> status;
    std::shared_ptr<async_event> done;
  };
  asio::any_io_executor ex_;
  std::map<pid_t, watched> watched_;
};

}  // namespace mcpl
