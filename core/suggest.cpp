#include "core/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace mcpl {

namespace {

// Levenshtein distance in half-steps: a change of case alone costs 1, any other edit 2.
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = 2 * j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = 2 * i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t swap = a[i - 1] == b[j - 1] ? 0
                         : std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                                 std::tolower(static_cast<unsigned char>(b[j - 1]))
                             ? 1
                             : 2;
      cur[j] = std::min({prev[j] + 2, cur[j - 1] + 2, prev[j - 1] + swap});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string closest_name(const std::string& word, const std::vector<std::string>& known) {
  auto lower = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (const auto& k : known)  // the same word in other case is always the one meant
    if (lower(k) == lower(word)) return k;
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, 2 * word.size() / 3) + 1;
  for (const auto& k : known) {
    std::size_t d = distance(word, k);
    if (d < best_distance) {
      best = k;
      best_distance = d;
    }
  }
  return best;
}

std::string name_list(const std::vector<std::string>& known) {
  std::string out;
  for (const auto& k : known) out += (out.empty() ? "" : ", ") + k;
  return out.empty() ? "none" : out;
}

}  // namespace mcpl
