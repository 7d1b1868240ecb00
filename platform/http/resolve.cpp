#include "platform/http/resolve.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

namespace mcpl {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

// Shared by the lookup thread and the waiting coroutine; whichever lets go last closes it.
struct lookup {
  int efd = -1;
  std::mutex mutex;
  int rc = 0;
  std::vector<tcp::endpoint> found;
  ~lookup() {
    if (efd >= 0) ::close(efd);
  }
};

void run_lookup(std::shared_ptr<lookup> l, std::string host, std::string port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res);
  std::vector<tcp::endpoint> found;
  for (addrinfo* a = res; rc == 0 && a; a = a->ai_next) {
    tcp::endpoint ep;
    if (a->ai_addrlen <= ep.capacity()) {
      std::memcpy(ep.data(), a->ai_addr, a->ai_addrlen);
      found.push_back(ep);
    }
  }
  if (res) ::freeaddrinfo(res);
  {
    std::lock_guard lock(l->mutex);
    l->rc = rc;
    l->found = std::move(found);
  }
  std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(l->efd, &one, sizeof one);  // eventfd: never blocks, no SIGPIPE
}

}  // namespace

asio::awaitable<result<std::vector<tcp::endpoint>>> resolve_host(
    std::string host, std::string port, std::chrono::steady_clock::time_point until) {
  boost::system::error_code ec;
  auto literal = asio::ip::make_address(host, ec);
  if (!ec)
    co_return std::vector<tcp::endpoint>{{literal, static_cast<unsigned short>(std::stoi(port))}};

  auto l = std::make_shared<lookup>();
  l->efd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (l->efd < 0)
    co_return fail(errc::unavailable, "eventfd: " + std::string(std::strerror(errno)));
  int mine = ::fcntl(l->efd, F_DUPFD_CLOEXEC, 0);
  if (mine < 0) co_return fail(errc::unavailable, "dup: " + std::string(std::strerror(errno)));
  auto ex = co_await asio::this_coro::executor;
  asio::posix::stream_descriptor ready(ex, mine);
  std::thread(run_lookup, l, host, port).detach();

  asio::steady_timer timer(ex, until);
  auto which = co_await (ready.async_wait(asio::posix::descriptor_base::wait_read,
                                          asio::as_tuple(asio::use_awaitable)) ||
                         timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  if (which.index() == 1) co_return fail(errc::unavailable, "looking up " + host + ": timed out");
  std::lock_guard lock(l->mutex);
  if (l->rc != 0)
    co_return fail(errc::unavailable, "looking up " + host + ": " + ::gai_strerror(l->rc));
  co_return std::move(l->found);
}

}  // namespace mcpl
