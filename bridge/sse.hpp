// Server-sent events as the MCP transports receive them (Streamable HTTP answers and GET
// streams, the 2024-11-05 HTTP+SSE transport): the WHATWG "event stream" format, parsed
// incrementally from bytes as they arrive. Pure: no I/O, unit-tested and fuzzed.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpl {

/// One dispatched event.
struct sse_event {
  std::string type = "message";  ///< the `event:` field, "message" when absent
  std::string data;              ///< the `data:` lines joined with '\n'
  std::string id;                ///< the last event ID in force when it was dispatched
};

/// Parses an event stream chunk by chunk. Lines end in CRLF, LF or CR (a CR at the end of
/// a chunk waits for the next one); a leading BOM is dropped; `:` lines are comments; one
/// space after a field's colon is dropped; an event with no `data` is not dispatched; an
/// `id` holding NUL is ignored; `retry` takes only ASCII digits.
class sse_parser {
 public:
  /// The events completed by `bytes`, in order.
  std::vector<sse_event> feed(std::string_view bytes);

  /// The ID to send as Last-Event-ID when the stream is resumed ("" when none was given).
  const std::string& last_event_id() const { return last_id_; }

  /// The reconnection delay the server asked for with `retry:`, if it did.
  std::optional<std::chrono::milliseconds> retry() const { return retry_; }

  /// The stream goes on over a new connection (resumed with Last-Event-ID): forgets a line
  /// or an event the old one cut off; keeps the last event ID and the retry delay.
  void restart() {
    line_.clear();
    type_.clear();
    data_.clear();
    after_cr_ = has_data_ = started_ = false;
  }

  /// Bytes of the line not yet ended: the caller bounds what a server may make it hold.
  std::size_t pending() const { return line_.size(); }

 private:
  void line(std::string_view text, std::vector<sse_event>& out);

  std::string line_;
  bool after_cr_ = false;  // the last byte was a CR: a following LF belongs to it
  bool started_ = false;   // past the optional BOM
  std::string type_, data_, last_id_;
  bool has_data_ = false;
  std::optional<std::chrono::milliseconds> retry_;
};

}  // namespace mcpl
