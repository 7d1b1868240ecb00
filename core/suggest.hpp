// "Did you mean …?" for a name that is not one of the known ones: a typo in a field, a store
// or a mapping name should be answered with the name the user meant.
#pragma once

#include <string>
#include <vector>

namespace mcpl {

/// The known name closest to `word` (edit distance, case counted as half a change), when it
/// is close enough to be a typo of it: at most a third of the word's length, and at least
/// one change allowed. "" when none is.
std::string closest_name(const std::string& word, const std::vector<std::string>& known);

/// `known` joined with ", ", for "(known: a, b, c)".
std::string name_list(const std::vector<std::string>& known);

}  // namespace mcpl
