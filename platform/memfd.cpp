#include "platform/memfd.hpp"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

namespace mcpl {

result<std::string> make_memfd_secret(std::string_view value) {
  // The name shows in /proc/PID/fd links ("/memfd:mcp-launch-secret"); it names no secret.
  int fd = memfd_create("mcp-launch-secret", MFD_ALLOW_SEALING);
  if (fd < 0) return fail(errc::internal, std::string("memfd_create: ") + strerror(errno));
  std::size_t done = 0;
  while (done < value.size()) {
    ssize_t n = ::write(fd, value.data() + done, value.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return fail(errc::internal, std::string("write to memfd: ") + strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    int err = errno;
    ::close(fd);
    return fail(errc::internal, std::string("sealing memfd: ") + strerror(err));
  }
  return "/proc/" + std::to_string(getpid()) + "/fd/" + std::to_string(fd);
}

}  // namespace mcpl
