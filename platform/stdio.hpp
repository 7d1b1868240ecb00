// The bridge's own stdin and stdout (DESIGN §9): stdin read as it comes without holding up
// the event loop, stdout written one whole line at a time.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mcpl {

namespace asio = boost::asio;

/// Reads a descriptor the launcher does not own (it is never closed here).
class input_stream {
 public:
  virtual ~input_stream() = default;

  /// The next bytes; "" at the end. Fails with errc::unavailable when reading fails.
  virtual asio::awaitable<result<std::string>> read_some() = 0;
};

/// A pipe, socket or terminal is read asynchronously; what the event loop cannot wait on (a
/// regular file, /dev/null) is read directly, which never blocks for long.
std::unique_ptr<input_stream> open_input(asio::any_io_executor ex, int fd);

/// Whether `fd` is a pipe, a socket or a terminal: a channel a peer talks through, as an MCP
/// client does; not /dev/null or a file (a service manager's stdin).
bool is_channel(int fd);

/// Writes all of `bytes` to `fd`, waiting for room when the descriptor is non-blocking (a
/// terminal shared with stdin). Fails with errc::unavailable (EPIPE: the reader is gone).
result<void> write_all(int fd, std::string_view bytes);

}  // namespace mcpl
