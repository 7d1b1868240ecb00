#include "platform/read_file.hpp"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mcpl {

namespace {
constexpr std::size_t kMaxSecretFile = 16 << 20;

error from_errno(const std::string& path, int err) {
  std::string why = path + ": " + strerror(err);
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return fail(errc::not_found, why);
    case EACCES:
    case EPERM:
      return fail(errc::refused, why);
    default:
      return fail(errc::unavailable, why);
  }
}
}  // namespace

result<std::string> read_secret_file(const std::string& path, struct stat* info) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return from_errno(path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return from_errno(path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return fail(errc::config, path + ": is a directory, not a file");
  }
  if (info) *info = st;
  std::string out;
  char buf[8192];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      explicit_bzero(buf, sizeof buf);
      return from_errno(path, err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > kMaxSecretFile) {
      ::close(fd);
      explicit_bzero(buf, sizeof buf);
      explicit_bzero(out.data(), out.size());
      return fail(errc::config, path + ": larger than 16 MiB, not a secret");
    }
  }
  explicit_bzero(buf, sizeof buf);
  ::close(fd);
  return out;
}

result<void> check_private_directory(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT)
      return fail(errc::config, dir + " does not exist: mkdir -p -m 700 " + dir +
                                    " and put one file per secret in it");
    return fail(errc::config, dir + ": " + strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) return fail(errc::config, dir + " is not a directory");
  if ((st.st_mode & 077) != 0)
    return fail(errc::config,
                dir + " holds secrets and group or others can open it: chmod 700 " + dir);
  return {};
}

}  // namespace mcpl
