// Selectors pick one field out of a JSON secret (DESIGN §4): `#KEY` names a top-level
// field, `#/a/b/0` is an RFC 6901 JSON pointer.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mcpl {

/// Splits "path?version=2#key" into the part a store fetches ("path?version=2") and the
/// selector ("key"); the selector is empty when there is no '#'.
struct split_identifier {
  std::string fetch;
  std::string selector;
  bool has_selector = false;
};
split_identifier split_selector(std::string_view identifier);

/// Applies `selector` to the secret `value`. A selected string is returned as is; any other
/// JSON value as compact JSON. Fails with errc::content when the value is not JSON or the
/// field does not exist; messages name keys, never values.
result<std::string> apply_selector(const std::string& value, std::string_view selector);

}  // namespace mcpl
