#include "platform/read_file.hpp"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

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

// Reads what `fd` (opened from `path`) holds, and closes it.
result<std::string> read_opened(int fd, const std::string& path, struct stat* info) {
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

constexpr int kReadFlags = O_RDONLY | O_CLOEXEC | O_NOCTTY;

// Without openat2 (Linux before 5.6): the name resolved in full, then opened only if that is
// still inside the directory, and without following a link at the end. A swap between the
// two steps needs write access to the directory, which is its owner's alone.
int open_beneath_by_path(const std::string& dir, const std::string& name) {
  char* real_dir = ::realpath(dir.c_str(), nullptr);
  if (!real_dir) return -1;
  std::string base = real_dir;
  ::free(real_dir);
  char* real = ::realpath((dir + "/" + name).c_str(), nullptr);
  if (!real) return -1;
  std::string resolved = real;
  ::free(real);
  if (resolved.compare(0, base.size() + 1, base + "/") != 0) {
    errno = EXDEV;
    return -1;
  }
  return ::open(resolved.c_str(), kReadFlags | O_NOFOLLOW);
}

}  // namespace

result<std::string> read_secret_file(const std::string& path, struct stat* info) {
  int fd = ::open(path.c_str(), kReadFlags);
  if (fd < 0) return from_errno(path, errno);
  return read_opened(fd, path, info);
}

namespace {

result<std::string> read_beneath(const std::string& dir, const std::string& name, struct stat* info,
                                 bool with_openat2) {
  std::string path = dir + "/" + name;
  int fd = -1;
  int err = ENOSYS;
  if (with_openat2) {
    int dirfd = ::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) return from_errno(dir, errno);
    // Symbolic links are followed while they stay beneath `dir` (Kubernetes' secret volumes:
    // KEY -> ..data/KEY, ..data -> ..2026_11_30_…); one that leads out, or is absolute, fails.
    open_how how{};
    how.flags = static_cast<std::uint64_t>(kReadFlags);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    fd = static_cast<int>(::syscall(SYS_openat2, dirfd, name.c_str(), &how, sizeof how));
    err = errno;
    ::close(dirfd);
  }
  if (fd < 0 && (err == ENOSYS || err == EPERM)) {  // no openat2, or a seccomp filter refusing it
    fd = open_beneath_by_path(dir, name);
    err = errno;
  }
  if (fd < 0 && err == EXDEV)
    return fail(errc::config, path + ": resolves to a file outside " + dir + " (a link)");
  if (fd < 0) return from_errno(path, err);
  return read_opened(fd, path, info);
}

}  // namespace

result<std::string> read_secret_file_beneath(const std::string& dir, const std::string& name,
                                             struct stat* info) {
  return read_beneath(dir, name, info, true);
}

namespace detail {
result<std::string> read_secret_file_beneath_by_path(const std::string& dir,
                                                     const std::string& name) {
  return read_beneath(dir, name, nullptr, false);
}
}  // namespace detail

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
