#include "platform/signals.hpp"

#include <errno.h>
#include <string.h>

#include <string>

namespace mcpl {

namespace {
error sys_error(const char* what) {
  return fail(errc::internal, std::string(what) + ": " + strerror(errno));
}

bool settable(int sig) { return sig != SIGKILL && sig != SIGSTOP; }
}  // namespace

result<signal_state> capture_signal_state() {
  signal_state state{};
  if (sigprocmask(SIG_BLOCK, nullptr, &state.blocked) != 0) return sys_error("sigprocmask");
  sigemptyset(&state.ignored);
  for (int sig = 1; sig <= SIGRTMAX; ++sig) {
    struct sigaction sa {};
    // glibc reserves two real-time signals for itself: EINVAL there is expected.
    if (sigaction(sig, nullptr, &sa) != 0) {
      if (errno == EINVAL) continue;
      return sys_error("sigaction");
    }
    if (sa.sa_handler == SIG_IGN) sigaddset(&state.ignored, sig);
  }
  return state;
}

result<void> ignore_sigpipe() {
  struct sigaction sa {};
  sa.sa_handler = SIG_IGN;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGPIPE, &sa, nullptr) != 0) return sys_error("sigaction(SIGPIPE)");
  return {};
}

result<void> restore_signal_state(const signal_state& state) {
  for (int sig = 1; sig <= SIGRTMAX; ++sig) {
    if (!settable(sig)) continue;
    struct sigaction sa {};
    sa.sa_handler = sigismember(&state.ignored, sig) ? SIG_IGN : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, nullptr) != 0) {
      if (errno == EINVAL) continue;
      return sys_error("sigaction");
    }
  }
  if (sigprocmask(SIG_SETMASK, &state.blocked, nullptr) != 0) return sys_error("sigprocmask");
  return {};
}

}  // namespace mcpl
