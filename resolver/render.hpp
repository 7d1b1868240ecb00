#pragma once

#include <string>
#include <vector>

#include "resolver/reference.hpp"

namespace mcpl {

/// Joins the literal segments of `t` with `replacements`, one per reference segment in
/// order. Replacements are inserted as they are: never parsed again (DESIGN §4).
std::string render_with(const parsed_template& t, const std::vector<std::string>& replacements);

}  // namespace mcpl
