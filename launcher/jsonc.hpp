// JSON with comments (JSONC), as VS Code's mcp.json and Zed's settings.json are written:
// `//` and `/* */` comments and trailing commas.
#pragma once

#include <string>
#include <string_view>

namespace mcpl {

/// `text` made plain JSON: comments and the commas that trail the last member of an object
/// or array are replaced by spaces (line breaks kept), so the parser's line and column of
/// an error are still those of the file. Strings are left alone. An unterminated block
/// comment is left in place for the parser to report.
std::string strip_jsonc(std::string_view text);

}  // namespace mcpl
