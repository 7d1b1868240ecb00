// The last line of defence of DESIGN §11: any resolved value that would still reach a log
// line is replaced with "***". Messages are built to name references, never values; this
// only catches what slipped through.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace mcpl {

class redactor {
 public:
  /// Values shorter than this are not searched for: a one-letter secret would turn every
  /// log line into asterisks and hide nothing. See docs/design.md (Output).
  static constexpr std::size_t kMinLength = 4;

  ~redactor();

  /// Remembers `value` (and its common escaped forms) as secret.
  void add(std::string_view value);

  /// `text` with every remembered value replaced by "***".
  std::string redact(std::string_view text) const;

  /// `text` as it may be shown: redacted, then shaped to one line (quoted runs cut, control
  /// characters escaped; core/quoted.hpp). What every line the launcher prints goes through.
  std::string present(std::string_view text) const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> values_;  // longest first, so a value inside another cannot split it
};

}  // namespace mcpl
