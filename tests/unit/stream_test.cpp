// Streaming responses through the real HTTP client (Beast) from a loopback server that
// writes an SSE body in pieces: each piece arrives as it is sent, a stream may stay quiet
// past the per-request bound, and the response head has a deadline.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <boost/asio/experimental/awaitable_operators.hpp>

#include "core/async.hpp"
#include "platform/http/http.hpp"
#include "tests/support/run_coro.hpp"

namespace mcpl {
namespace {

using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using namespace asio::experimental::awaitable_operators;

asio::awaitable<void> write_chunk(tcp::socket& s, const std::string& data) {
  char size[16];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  co_await asio::async_write(s, asio::buffer(size + data + "\r\n"), asio::use_awaitable);
}

// Answers one request with a chunked event stream: "one", then — once `next` is set and a
// pause longer than the client's per-request bound has passed — "two", then the end.
asio::awaitable<void> serve_stream(tcp::acceptor& acceptor, async_event& next,
                                   std::chrono::milliseconds pause) {
  auto s = co_await acceptor.async_accept(asio::use_awaitable);
  std::string request;
  co_await asio::async_read_until(s, asio::dynamic_buffer(request), "\r\n\r\n",
                                  asio::use_awaitable);
  co_await asio::async_write(s,
                             asio::buffer(std::string("HTTP/1.1 200 OK\r\n"
                                                      "Content-Type: text/event-stream\r\n"
                                                      "Transfer-Encoding: chunked\r\n\r\n")),
                             asio::use_awaitable);
  co_await write_chunk(s, "data: one\n\n");
  // Bounded, so that a client that never reads "one" fails the test instead of hanging it.
  asio::steady_timer bound(s.get_executor(), 5s);
  co_await (next.wait() || bound.async_wait(asio::use_awaitable));
  asio::steady_timer quiet(s.get_executor(), pause);
  co_await quiet.async_wait(asio::use_awaitable);
  co_await write_chunk(s, "data: two\n\n");
  co_await asio::async_write(s, asio::buffer(std::string("0\r\n\r\n")), asio::use_awaitable);
}

std::unique_ptr<http_client> client(std::chrono::milliseconds request_timeout) {
  network_settings settings;
  settings.limits.request_timeout = request_timeout;
  return std::move(make_https_client(settings)).value();
}

TEST(Stream, PiecesArriveAsSentAndAQuietStreamOutlivesTheRequestBound) {
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  async_event next(io.get_executor());
  asio::co_spawn(io, serve_stream(acceptor, next, 600ms), asio::detached);
  auto http = client(200ms);
  std::string url = "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/mcp";
  auto got = testing::run_coro(io, [&]() -> asio::awaitable<std::vector<std::string>> {
    http_request req;
    req.url = url;
    req.headers = {{"Accept", "text/event-stream"}};
    req.deadline = std::chrono::steady_clock::now() + 5s;
    auto stream = co_await http->open(req);
    EXPECT_TRUE(stream.ok()) << (stream.ok() ? "" : stream.err().message);
    if (!stream) co_return std::vector<std::string>{};
    EXPECT_EQ((*stream)->head().status, 200);
    EXPECT_EQ((*stream)->head().header("content-type"), "text/event-stream");
    std::vector<std::string> pieces;
    std::string first;
    while (first.find("\n\n") == std::string::npos) {  // "two" is not sent before `next`
      auto piece = co_await (*stream)->read_some();
      EXPECT_TRUE(piece.ok());
      if (!piece || piece->empty()) co_return pieces;
      first += *piece;
    }
    pieces.push_back(first);
    next.set();
    std::string rest;
    for (;;) {
      auto piece = co_await (*stream)->read_some();
      EXPECT_TRUE(piece.ok()) << (piece.ok() ? "" : piece.err().message);
      if (!piece || piece->empty()) break;
      rest += *piece;
    }
    pieces.push_back(rest);
    co_return pieces;
  }());
  EXPECT_EQ(got, (std::vector<std::string>{"data: one\n\n", "data: two\n\n"}));
}

TEST(Stream, TheResponseHeadHasADeadline) {
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  tcp::socket held(io);  // accepted, never answered
  acceptor.async_accept(held, [](boost::system::error_code) {});
  auto http = client(10s);
  std::string url = "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/mcp";
  auto start = std::chrono::steady_clock::now();
  auto failed = testing::run_coro(io, [&]() -> asio::awaitable<bool> {
    http_request req;
    req.url = url;
    req.deadline = std::chrono::steady_clock::now() + 300ms;
    auto stream = co_await http->open(req);
    EXPECT_FALSE(stream.ok());
    if (stream) co_return false;
    EXPECT_EQ(stream.err().code, errc::unavailable);
    EXPECT_NE(stream.err().message.find("timed out"), std::string::npos) << stream.err().message;
    co_return true;
  }());
  EXPECT_TRUE(failed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

}  // namespace
}  // namespace mcpl
