#include "core/quoted.hpp"

#include <cstdio>

namespace mcpl {

namespace {

// Start and end of a quoted run: ASCII STX and ETX, which no message of ours uses.
constexpr char kOpen = '\x02';
constexpr char kClose = '\x03';

void escape(std::string& out, unsigned char c) {
  char hex[5];
  std::snprintf(hex, sizeof hex, "\\x%02x", c);
  out += hex;
}

// Appends text[i], or its escape when a terminal would act on it; returns how many bytes it
// took. C1 controls (U+0080–U+009F) arrive in UTF-8 as C2 80–C2 9F: two bytes.
std::size_t append(std::string& out, std::string_view text, std::size_t i, bool in_quote) {
  auto c = static_cast<unsigned char>(text[i]);
  if (in_quote && (c == '\n' || c == '\r' || c == '\t')) {
    out += ' ';
  } else if (c < 0x20 || c == 0x7f) {
    escape(out, c);
  } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
             static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
    escape(out, c);
    escape(out, static_cast<unsigned char>(text[i + 1]));
    return 2;
  } else {
    out += static_cast<char>(c);
  }
  return 1;
}

}  // namespace

std::string quote_foreign(std::string_view text) {
  std::string out(1, kOpen);
  for (char c : text) out += (c == kOpen || c == kClose) ? ' ' : c;
  out += kClose;
  return out;
}

std::string shape_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != kOpen) {
      i += append(out, text, i, false);
      continue;
    }
    std::size_t close = text.find(kClose, i + 1);
    std::size_t end = close == std::string_view::npos ? text.size() : close;
    std::string_view quoted = text.substr(i + 1, end - i - 1);
    std::string_view kept = quoted.substr(0, kQuotedMax);
    for (std::size_t k = 0; k < kept.size();) k += append(out, kept, k, true);
    if (quoted.size() > kQuotedMax) out += "...";
    i = close == std::string_view::npos ? text.size() : close + 1;
  }
  return out;
}

}  // namespace mcpl
