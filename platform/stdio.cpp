#include "platform/stdio.hpp"

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>

namespace mcpl {

namespace {

constexpr std::size_t kChunk = 16 * 1024;

class async_input final : public input_stream {
 public:
  explicit async_input(asio::posix::stream_descriptor fd) : fd_(std::move(fd)) {}
  ~async_input() override {
    boost::system::error_code ignored;
    fd_.non_blocking(false, ignored);  // a terminal shared with a shell goes back as it was
    fd_.release();                     // not ours to close
  }

  asio::awaitable<result<std::string>> read_some() override {
    std::string buf(kChunk, '\0');
    auto [ec, n] =
        co_await fd_.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::eof) co_return std::string();
    if (ec) co_return fail(errc::unavailable, "reading stdin: " + ec.message());
    buf.resize(n);
    co_return buf;
  }

 private:
  asio::posix::stream_descriptor fd_;
};

class direct_input final : public input_stream {
 public:
  explicit direct_input(int fd) : fd_(fd) {}

  asio::awaitable<result<std::string>> read_some() override {
    std::string buf(kChunk, '\0');
    for (;;) {
      ssize_t n = ::read(fd_, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) co_return fail(errc::unavailable, std::string("reading stdin: ") + std::strerror(errno));
      buf.resize(static_cast<std::size_t>(n));
      co_return buf;
    }
  }

 private:
  int fd_;
};

}  // namespace

bool is_channel(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || ::isatty(fd);
}

std::unique_ptr<input_stream> open_input(asio::any_io_executor ex, int fd) {
  asio::posix::stream_descriptor d(ex);
  boost::system::error_code ec;
  d.assign(fd, ec);
  if (!ec) {
    // epoll refuses regular files and /dev/null only when the first wait registers them:
    // ask now whether it takes this one.
    d.non_blocking(true, ec);
    if (!ec) return std::make_unique<async_input>(std::move(d));
  }
  d.release();
  return std::make_unique<direct_input>(fd);
}

result<void> write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, -1);
      continue;
    }
    return fail(errc::unavailable, std::string("writing stdout: ") + std::strerror(errno));
  }
  return {};
}

}  // namespace mcpl
