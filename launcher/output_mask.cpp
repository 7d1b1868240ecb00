#include "launcher/output_mask.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstring>

#include "core/async.hpp"
#include "platform/stdio.hpp"

namespace mcpl {

using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto kHoldAtMost = std::chrono::milliseconds(50);

asio::awaitable<void> pump(std::shared_ptr<asio::posix::stream_descriptor> from, int to,
                           std::shared_ptr<stream_masker> mask, std::shared_ptr<std::size_t> open) {
  std::string buf(16 * 1024, '\0');
  for (;;) {
    auto read = from->async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
    std::size_t n = 0;
    if (mask->holding()) {
      auto got = co_await (std::move(read) || sleep_until(std::chrono::steady_clock::now() + kHoldAtMost));
      if (got.index() == 1) {  // waited long enough: what is held is not a value
        (void)write_all(to, mask->flush());
        continue;
      }
      auto [ec, count] = std::get<0>(got);
      if (ec) break;
      n = count;
    } else {
      auto [ec, count] = co_await std::move(read);
      if (ec) break;
      n = count;
    }
    (void)write_all(to, mask->feed(std::string_view(buf.data(), n)));
  }
  (void)write_all(to, mask->flush());
  --*open;
}

}  // namespace

void output_mask::add_values(const std::vector<std::string>& values) {
  values_.insert(values_.end(), values.begin(), values.end());
}

result<int> output_mask::pipe_to(int to_fd) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return fail(errc::internal, std::string("pipe2: ") + strerror(errno));
  auto from = std::make_shared<asio::posix::stream_descriptor>(ex_, fds[0]);
  ++*open_;
  asio::co_spawn(ex_, pump(from, to_fd, std::make_shared<stream_masker>(values_), open_),
                 asio::detached);
  return fds[1];
}

std::string output_mask::line(std::string_view text) {
  stream_masker m(values_);
  std::string out = m.feed(text);
  return out + m.flush();
}

}  // namespace mcpl
