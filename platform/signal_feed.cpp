#include "platform/signal_feed.hpp"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>

namespace mcpl {

namespace {

class fd_signal_feed final : public signal_feed {
 public:
  explicit fd_signal_feed(asio::posix::stream_descriptor fd) : fd_(std::move(fd)) {}

  asio::awaitable<result<signalfd_siginfo>> next() override {
    signalfd_siginfo info{};
    for (;;) {
      auto [ec, n] = co_await asio::async_read(fd_, asio::buffer(&info, sizeof info),
                                               asio::as_tuple(asio::use_awaitable));
      if (!ec && n == sizeof info) co_return info;
      if (ec == asio::error::interrupted) continue;
      co_return fail(errc::internal, "reading signals: " + ec.message());
    }
  }

 private:
  asio::posix::stream_descriptor fd_;
};

}  // namespace

bool forwardable(int sig) { return sig != SIGCHLD && sig != SIGKILL && sig != SIGSTOP; }

result<std::unique_ptr<signal_feed>> open_signal_feed(asio::any_io_executor ex) {
  sigset_t set;
  sigfillset(&set);
  sigdelset(&set, SIGKILL);
  sigdelset(&set, SIGSTOP);
  if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0)
    return fail(errc::internal, std::string("sigprocmask: ") + strerror(errno));
  int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) return fail(errc::internal, std::string("signalfd: ") + strerror(errno));
  return std::unique_ptr<signal_feed>(
      std::make_unique<fd_signal_feed>(asio::posix::stream_descriptor(ex, fd)));
}

}  // namespace mcpl
