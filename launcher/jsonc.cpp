#include "launcher/jsonc.hpp"

#include <cstddef>
#include <optional>

namespace mcpl {

std::string strip_jsonc(std::string_view text) {
  std::string out(text);
  std::optional<std::size_t> comma;  // a comma followed so far only by blanks and comments
  std::size_t i = 0;
  auto blank = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to; ++k)
      if (out[k] != '\n' && out[k] != '\r') out[k] = ' ';
  };
  while (i < out.size()) {
    char c = out[i];
    if (c == '"') {  // a string: skip to its closing quote, escapes included
      comma.reset();
      for (++i; i < out.size() && out[i] != '"'; ++i)
        if (out[i] == '\\') ++i;
      ++i;
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '/') {
      std::size_t end = out.find('\n', i);
      if (end == std::string::npos) end = out.size();
      blank(i, end);
      i = end;
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '*') {
      std::size_t end = out.find("*/", i + 2);
      if (end == std::string::npos) return out;  // unterminated: the parser says where
      blank(i, end + 2);
      i = end + 2;
    } else if (c == ',') {
      comma = i++;
    } else if (c == '}' || c == ']') {
      if (comma) out[*comma] = ' ';
      comma.reset();
      ++i;
    } else {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') comma.reset();
      ++i;
    }
  }
  return out;
}

}  // namespace mcpl
