#include "platform/sd_notify.hpp"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>

namespace mcpl {

namespace {

class datagram_notifier final : public service_notifier {
 public:
  datagram_notifier(int fd, sockaddr_un addr, socklen_t length)
      : fd_(fd), addr_(addr), length_(length) {}
  ~datagram_notifier() override { ::close(fd_); }

  result<void> send(std::string_view message) override {
    // Never wait: a service manager that does not read must not stop the launcher.
    ssize_t n = ::sendto(fd_, message.data(), message.size(), MSG_NOSIGNAL | MSG_DONTWAIT,
                         reinterpret_cast<const sockaddr*>(&addr_), length_);
    if (n < 0) return fail(errc::unavailable, std::string("NOTIFY_SOCKET: ") + strerror(errno));
    return {};
  }

 private:
  int fd_;
  sockaddr_un addr_;
  socklen_t length_;
};

}  // namespace

result<std::unique_ptr<service_notifier>> make_notifier(const std::string& address) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if ((address.empty() || (address[0] != '/' && address[0] != '@')) ||
      address.size() >= sizeof addr.sun_path)
    return fail(errc::config, "NOTIFY_SOCKET is neither an absolute path nor @name");
  memcpy(addr.sun_path, address.data(), address.size());
  if (address[0] == '@') addr.sun_path[0] = '\0';  // an abstract socket: no trailing NUL
  auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address.size() +
                                       (address[0] == '@' ? 0 : 1));
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(errc::unavailable, std::string("socket: ") + strerror(errno));
  return std::unique_ptr<service_notifier>(std::make_unique<datagram_notifier>(fd, addr, length));
}

}  // namespace mcpl
