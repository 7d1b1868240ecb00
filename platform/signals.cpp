#include "platform/signals.hpp"

#include <errno.h>
#include <string.h>

#include <algorithm>
#include <cctype>
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

result<int> parse_signal(std::string_view text) {
  std::string name(text);
  for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (name.rfind("SIG", 0) == 0) name.erase(0, 3);
  if (!name.empty() && std::all_of(name.begin(), name.end(), ::isdigit) && name.size() <= 2) {
    int n = std::stoi(name);
    if (n >= 1 && n <= SIGRTMAX) return n;
  }
  for (int sig = 1; sig < SIGRTMIN; ++sig)
    if (const char* abbrev = sigabbrev_np(sig); abbrev && name == abbrev) return sig;
  return fail(errc::usage, "'" + std::string(text) + "' is not a signal (TERM, INT, HUP, 15, …)");
}

}  // namespace mcpl
