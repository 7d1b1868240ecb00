// --mask (DESIGN §8): a child's output with every resolved value, and its JSON-string-escaped
// form, replaced by `***` — also where a value is split across reads. Pure: the launcher
// feeds it what it reads and writes what it returns.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mcpl {

class stream_masker {
 public:
  /// `values`: what to mask (values shorter than the redactor's four bytes are not).
  explicit stream_masker(const std::vector<std::string>& values);

  /// Takes the next bytes of the stream; returns what may be written now: all but the longest
  /// tail that could be the start of a value, held back for `flush` or for the next bytes to
  /// complete or rule out. A whole line is never held back, unless a value spans lines.
  std::string feed(std::string_view bytes);

  /// Whether a tail is held back.
  bool holding() const { return !held_.empty(); }

  /// What is held back, masked as far as it can be: the stream ended, or it waited too long.
  std::string flush();

 private:
  // Masks `text` up to `end`, moved past a value that straddles it.
  std::string mask(std::string_view text, std::size_t& end) const;
  std::size_t tail_to_hold(std::string_view text) const;

  std::vector<std::string> forms_;  // longest first
  std::string held_;
};

}  // namespace mcpl
