#include "resolver/render.hpp"

namespace mcpl {

std::string render_with(const parsed_template& t, const std::vector<std::string>& replacements) {
  std::string out;
  std::size_t next = 0;
  for (const auto& seg : t.segments) {
    if (seg.ref)
      out += replacements.at(next++);
    else
      out += seg.literal;
  }
  return out;
}

}  // namespace mcpl
