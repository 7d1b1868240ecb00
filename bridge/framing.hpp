// Newline-delimited JSON-RPC on the bridge's own stdin and stdout (the MCP stdio transport):
// a message is one line of JSON with no raw line break in it. Pure: no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mcpl {

/// Splits bytes read from stdin into lines, one message each. A CR before the LF is
/// dropped; blank lines are skipped. A line longer than `max_line` is an error (errc::content)
/// and the reader then skips the rest of that line.
class line_reader {
 public:
  explicit line_reader(std::size_t max_line = 64u << 20) : max_(max_line) {}

  /// The lines completed by `bytes`, in order; a failure in place of a line that was too long.
  std::vector<result<std::string>> feed(std::string_view bytes);

  /// What remains when the input ends: a last line without its LF, if any.
  std::optional<std::string> finish();

 private:
  std::string line_;
  std::size_t max_;
  bool skipping_ = false;
};

/// `json_text` as one stdout line: trailing blanks dropped and a LF added. Fails with
/// errc::content when the text is empty or holds a raw line break (two messages).
result<std::string> frame_line(std::string_view json_text);

}  // namespace mcpl
