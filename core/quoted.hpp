// Text that a message quotes from elsewhere — a store's error answer, a server's words —
// can hold a secret, control characters, or a whole HTML page. The redactor must see it
// whole, so it is shaped only at the output boundary, after redaction (DESIGN §11).
#pragma once

#include <string>
#include <string_view>

namespace mcpl {

/// `text` framed as quoted, to be kept to one short line by `shape_line` once the message
/// has been redacted. The framing characters never reach the output.
std::string quote_foreign(std::string_view text);

/// Longest quoted run `shape_line` keeps, in bytes; longer runs end with "...".
inline constexpr std::size_t kQuotedMax = 200;

/// `text` fit for one line of a log or terminal: each quoted run cut to kQuotedMax bytes
/// with its line breaks and tabs turned to spaces, and every control character left (ESC,
/// BEL, a C1 control, a line break outside a quoted run) written as `\xHH`. Call it after
/// redaction, never before: a secret cut in two cannot be recognised.
std::string shape_line(std::string_view text);

}  // namespace mcpl
