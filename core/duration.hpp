#pragma once

#include <chrono>
#include <string_view>

#include "core/result.hpp"

namespace mcpl {

/// Parses a duration written as DESIGN §2 says: a whole number followed by `ms`, `s`, `m`
/// or `h` ("250ms", "30s", "2m", "1h"). Fails with errc::usage naming the text.
result<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace mcpl
