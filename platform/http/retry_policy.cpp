// The pure parts of the retry policy, apart from the client so that the fuzzers can take
// them without the coroutine code.
#include <algorithm>
#include <cctype>
#include <ctime>
#include <string>

#include "platform/http/retry.hpp"

namespace mcpl {

bool is_transient_status(int status) {
  return status == 429 || (status >= 500 && status <= 599 && status != 501 && status != 505);
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (value.size() > 9) return std::chrono::hours(24 * 365);  // "forever": past any deadline
    return std::chrono::seconds(std::stol(std::string(value)));
  }
  // IMF-fixdate, as RFC 9110 requires senders to write it: "Sun, 06 Nov 1994 08:49:37 GMT".
  std::tm tm{};
  const char* end = strptime(std::string(value).c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end) return std::nullopt;
  if (tm.tm_year < 70) return std::nullopt;                    // before 1970: not a date it means
  if (tm.tm_year > 8000) return std::chrono::hours(24 * 365);  // after 9900: past any deadline
  std::time_t when = timegm(&tm);
  std::time_t current = std::chrono::system_clock::to_time_t(now);
  if (when <= current) return std::chrono::milliseconds(0);
  return std::chrono::seconds(when - current);
}

std::chrono::milliseconds backoff_delay(const retry_policy& policy, int attempt,
                                        const std::function<double()>& uniform) {
  std::chrono::milliseconds ceiling = policy.base_delay * (1L << std::min(attempt - 1, 20));
  ceiling = std::min(ceiling, policy.max_delay);
  return std::chrono::milliseconds(static_cast<long long>(uniform() * ceiling.count()));
}

}  // namespace mcpl
