// The signals an init receives (DESIGN §8), read one at a time from a signalfd on the
// io_context: every signal that can be is blocked first, so that none is lost, none acts by
// default on the launcher, and each is seen exactly once.
#pragma once

#include <sys/signalfd.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>

#include "core/result.hpp"

namespace mcpl {

namespace asio = boost::asio;

class signal_feed {
 public:
  virtual ~signal_feed() = default;

  /// The next signal, with who sent it (ssi_pid) and how (ssi_code: SI_KERNEL for the
  /// terminal's Ctrl-C, SI_USER for kill). Fails with errc::internal when the signalfd fails.
  virtual asio::awaitable<result<signalfd_siginfo>> next() = 0;
};

/// Blocks every signal but SIGKILL and SIGSTOP and opens the feed for them. A real fault of
/// the launcher's own (SIGSEGV, SIGBUS, …) still ends it: the kernel delivers a synchronous
/// fault even when it is blocked; the same signal sent with kill is passed on like any other.
/// The child gets the mask the launcher inherited back (spawn_child).
result<std::unique_ptr<signal_feed>> open_signal_feed(asio::any_io_executor ex);

/// True for the signals supervise mode passes on to the child: every catchable one but
/// SIGCHLD (the launcher's own business).
bool forwardable(int sig);

}  // namespace mcpl
