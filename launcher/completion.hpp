// Shell completions, generated from the option table (launcher/options.hpp) so they never
// list an option the parser does not take: `mcp-launch completion bash|zsh`.
#pragma once

#include <string>

namespace mcpl {

/// The completion script for `shell` ("bash" or "zsh").
std::string completion_script(const std::string& shell);

}  // namespace mcpl
