// The reference grammar of DESIGN §4: a template string is literal text with
// `{{ secrets.STORE.MAPPING }}`, `{{ secrets.STORE.[ID] }}`, `{{ env.NAME }}` and
// `{{ file.[PATH] }}` references in it, each optionally followed by `| file`.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mcpl {

/// Which namespace a reference names.
enum class ref_kind {
  secrets,  ///< `secrets.STORE.…`: a configured (or implicit) store
  env,      ///< `env.NAME`: the launcher's environment
  file,     ///< `file.[PATH]`: a local file
};

/// One reference as written, before it is bound to a store.
struct reference {
  ref_kind kind = ref_kind::secrets;
  std::string store;       ///< the STORE of `secrets.STORE.…`; empty for env and file
  std::string mapping;     ///< the MAPPING name, when the reference names one
  std::string identifier;  ///< the bracketed or bare identifier, when no mapping is named
  bool as_file = false;    ///< `| file`: deliver as an in-memory file (DESIGN §6)
  bool trim = false;       ///< `| trim`: without leading and trailing ASCII whitespace
  std::string text;        ///< the reference exactly as written, braces included
  std::size_t column = 0;  ///< 1-based column of its `{{`
};

/// A run of literal text, or one reference.
struct segment {
  std::string literal;
  std::optional<reference> ref;
};

/// A string split into literal text and references.
struct parsed_template {
  std::vector<segment> segments;
  /// True when at least one segment is a reference.
  bool has_references() const;
};

/// Splits `text` into literals and references. `{{ … }}` text that does not start with
/// `secrets.`, `env.` or `file.` stays literal. A started reference that is malformed fails
/// with errc::config and a message that begins "column N: ".
result<parsed_template> parse_template(std::string_view text);

/// Text in a literal run that looks like a reference but is not one — `{{ secret.x.y }}`,
/// `{{ Secrets.… }}`, `{ secrets.x.y }` — as written (at most 60 bytes), and the namespace
/// it was probably meant to be; nothing when there is none. Such text is passed through as
/// it is, which is rarely what its author wanted.
struct lookalike {
  std::string text;
  std::string meant;  ///< "secrets", "env" or "file"
};
std::optional<lookalike> find_lookalike(std::string_view literal);

/// Parses the argument of `mcp-launch read`: one reference, with or without its braces.
/// Fails with errc::config (exit 78, as for a bad reference in a config) when the text is
/// not exactly one reference; error columns count in `text` as typed.
result<reference> parse_single_reference(std::string_view text);

}  // namespace mcpl
