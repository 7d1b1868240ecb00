#include "platform/reaper.hpp"

#include <errno.h>
#include <sys/wait.h>

namespace mcpl {

void reaper::expect(pid_t pid) {
  watched_.emplace(pid, watched{std::nullopt, std::make_shared<async_event>(ex_)});
}

std::size_t reaper::reap() {
  std::size_t reaped = 0;
  for (;;) {
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid < 0 && errno == EINTR) continue;
    if (pid <= 0) break;  // 0: children left, none exited; -1 ECHILD: no children at all
    ++reaped;
    if (auto it = watched_.find(pid); it != watched_.end()) {
      it->second.status = status;
      it->second.done->set();
    }
  }
  return reaped;
}

asio::awaitable<int> reaper::wait_for(pid_t pid) {
  auto it = watched_.find(pid);
  if (it == watched_.end()) {
    expect(pid);
    it = watched_.find(pid);
  }
  auto done = it->second.done;
  co_await done->wait();
  co_return watched_.at(pid).status.value_or(0);
}

std::optional<int> reaper::exited(pid_t pid) const {
  auto it = watched_.find(pid);
  return it == watched_.end() ? std::nullopt : it->second.status;
}

}  // namespace mcpl
