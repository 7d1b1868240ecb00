// The stdio↔remote bridge (DESIGN §9): lines from the client go to the remote server, each
// on its own (a slow call never holds up another), and every request gets an answer — the
// server's, or an error when the server cannot give one. It ends with 0 when stdin ends, 69
// when the server cannot be reached at start or is gone for good, 77 when it refuses the
// credentials.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>

#include "bridge/transport.hpp"
#include "core/async.hpp"

namespace mcpl {

struct bridge_settings {
  std::string url;
  std::string transport = "auto";  ///< auto, streamable-http or sse
  std::chrono::milliseconds timeout{30'000};
};

class remote_bridge {
 public:
  remote_bridge(asio::any_io_executor ex, http_client& http, authenticator& auth, relay& client,
                bridge_notes notes, bridge_settings settings);

  /// One line from stdin.
  void receive(std::string line);

  /// Stdin ended: requests in flight are answered (within the timeout), then the session
  /// ends and so does the bridge, with 0.
  void end_of_input();

  /// Ends the bridge now with `code` (a signal), after ending the session.
  void stop(int code);

  asio::any_io_executor executor() const { return ex_; }

  /// Waits until the bridge is over; its exit code.
  asio::awaitable<int> finished();

 private:
  asio::awaitable<void> handle(std::shared_ptr<const outgoing> line);
  asio::awaitable<void> wind_down(int code, bool wait_for_answers);
  void failed(const outgoing& line, const error& e);
  void give_up(const error& e);
  void finish(int code);

  asio::any_io_executor ex_;
  transport_context ctx_;
  bridge_settings settings_;
  std::shared_ptr<remote_transport> transport_;
  std::shared_ptr<async_event> starting_;  // set once the first line (initialize) is through
  bool started_ = false;   // the server answered once
  bool ending_ = false;
  std::size_t in_flight_ = 0;
  std::optional<std::chrono::steady_clock::time_point> down_since_;
  std::optional<int> fatal_;  // 69 or 77: the server is gone, or refused the credentials
  async_event done_;
  int code_ = 0;
};

}  // namespace mcpl
