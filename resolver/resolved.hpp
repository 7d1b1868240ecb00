#pragma once

#include <chrono>
#include <string>

#include "core/result.hpp"

namespace mcpl {

/// The outcome of one reference.
struct resolved {
  result<std::string> value;          ///< the selected value, or why it failed
  std::chrono::microseconds latency;  ///< from the start of resolution to this value
};

}  // namespace mcpl
