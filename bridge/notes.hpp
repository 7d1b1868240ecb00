// Where the bridge says what it did: the launcher gives its log (stderr, redacted), so
// that nothing below launcher/ depends on the logging library.
#pragma once

#include <functional>
#include <string>

namespace mcpl {

struct bridge_notes {
  std::function<void(const std::string&)> debug = [](const std::string&) {};
  std::function<void(const std::string&)> info = [](const std::string&) {};
  std::function<void(const std::string&)> warn = [](const std::string&) {};
  /// How a message the bridge writes for the client (an error answer) is shown: the
  /// launcher's redactor takes out every secret and shapes what stores and servers said.
  std::function<std::string(const std::string&)> present = [](const std::string& m) { return m; };
};

}  // namespace mcpl
