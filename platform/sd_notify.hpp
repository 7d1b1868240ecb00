// systemd's service notification protocol (sd_notify) without libsystemd: one datagram per
// message to the socket NOTIFY_SOCKET names — a path, or an abstract socket when it starts
// with '@' (DESIGN §8: READY=1, STATUS=, WATCHDOG=1).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mcpl {

class service_notifier {
 public:
  virtual ~service_notifier() = default;

  /// Sends one message ("READY=1", "STATUS=…", "WATCHDOG=1"). Fails with errc::unavailable.
  virtual result<void> send(std::string_view message) = 0;
};

/// A notifier for the socket `address` (NOTIFY_SOCKET's value). Fails with errc::config for
/// an address that is neither an absolute path nor '@' and a name, or too long.
result<std::unique_ptr<service_notifier>> make_notifier(const std::string& address);

}  // namespace mcpl
