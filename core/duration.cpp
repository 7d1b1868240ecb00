#include "core/duration.hpp"

#include <charconv>
#include <string>

namespace mcpl {

result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  auto bad = [&] {
    return fail(errc::usage, "invalid duration '" + std::string(text) +
                                 "': write a whole number and a unit: 250ms, 30s, 2m, 1h");
  };
  long long number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end == text.data() || number < 0) return bad();
  std::string_view unit(end, text.data() + text.size() - end);
  long long scale = 0;
  if (unit == "ms") {
    scale = 1;
  } else if (unit == "s") {
    scale = 1000;
  } else if (unit == "m") {
    scale = 60'000;
  } else if (unit == "h") {
    scale = 3'600'000;
  } else {
    return bad();
  }
  constexpr long long kMax = 24LL * 3'600'000 * 365;  // a year is plenty for any deadline
  if (number > kMax / scale) return bad();
  return std::chrono::milliseconds(number * scale);
}

}  // namespace mcpl
