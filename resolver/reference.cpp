#include "resolver/reference.hpp"

#include <algorithm>
#include <cstdio>

#include "core/suggest.hpp"

namespace mcpl {

bool parsed_template::has_references() const {
  for (const auto& s : segments)
    if (s.ref) return true;
  return false;
}

namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}
bool is_space(char c) { return c == ' ' || c == '\t'; }

// A cursor over one reference, from just after its "{{".
class ref_parser {
 public:
  ref_parser(std::string_view text, std::size_t pos) : text_(text), pos_(pos) {}

  std::size_t pos() const { return pos_; }
  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }
  bool eat(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  std::string name() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  error fail_here(std::string what) const {
    return fail(errc::config, "column " + std::to_string(pos_ + 1) + ": " + std::move(what));
  }
  // Either "[identifier]" or a bare name; `what` names it in errors.
  result<std::string> identifier(const char* what) {
    if (eat("[")) {
      std::size_t start = pos_;
      std::size_t close = text_.find(']', pos_);
      if (close == std::string_view::npos) {
        pos_ = start - 1;
        return fail_here("unterminated '[': no closing ']'");
      }
      if (close == start) return fail_here("empty identifier '[]'");
      pos_ = close + 1;
      return std::string(text_.substr(start, close - start));
    }
    std::string bare = name();
    if (bare.empty()) return fail_here(std::string("expected ") + what + " or [identifier]");
    return bare;
  }

 private:
  std::string_view text_;
  std::size_t pos_;
};

// Parses the reference whose "{{" starts at `open`; `kind` is already known.
result<reference> parse_reference(std::string_view text, std::size_t open, ref_kind kind,
                                  std::size_t after_keyword) {
  ref_parser p(text, after_keyword);
  reference ref;
  ref.kind = kind;
  ref.column = open + 1;
  if (kind == ref_kind::secrets) {
    ref.store = p.name();
    if (ref.store.empty()) return p.fail_here("expected a store name after 'secrets.'");
    if (!p.eat("."))
      return p.fail_here("expected '.' and a mapping name or [identifier] after the store name");
    if (p.at('[')) {
      auto id = p.identifier("a mapping name");
      if (!id) return std::move(id).err();
      ref.identifier = std::move(*id);
    } else {
      ref.mapping = p.name();
      if (ref.mapping.empty()) return p.fail_here("expected a mapping name or [identifier]");
    }
  } else {
    auto id = p.identifier(kind == ref_kind::env ? "a variable name" : "a [path]");
    if (!id) return std::move(id).err();
    ref.identifier = std::move(*id);
  }
  p.skip_space();
  // Filters: `| trim` (the value without leading and trailing ASCII whitespace), then
  // `| file` (delivered as an in-memory file), each at most once.
  while (p.eat("|")) {
    p.skip_space();
    std::size_t at = p.pos();
    ref_parser q(text, at);
    std::string filter = p.name();
    if (filter == "trim" && !ref.trim && !ref.as_file) {
      ref.trim = true;
    } else if (filter == "file" && !ref.as_file) {
      ref.as_file = true;
    } else if (filter == "trim" || filter == "file") {
      return q.fail_here(
          "'| " + filter + "' " +
          (ref.as_file ? "comes after '| file', which must be last" : "is given twice"));
    } else {
      return q.fail_here("unknown filter: the filters are '| trim' and '| file'");
    }
    p.skip_space();
  }
  if (!p.eat("}}")) {
    if (p.pos() >= text.size()) return p.fail_here("no closing '}}'");
    return p.fail_here(std::string("unexpected '") + text[p.pos()] + "', expected '}}'");
  }
  ref.text = std::string(text.substr(open, p.pos() - open));
  return ref;
}

// If a reference starts at `open` ("{{"), returns its kind and where its body starts.
std::optional<std::pair<ref_kind, std::size_t>> reference_start(std::string_view text,
                                                                std::size_t open) {
  ref_parser p(text, open + 2);
  p.skip_space();
  if (p.eat("secrets.")) return std::pair{ref_kind::secrets, p.pos()};
  if (p.eat("env.")) return std::pair{ref_kind::env, p.pos()};
  if (p.eat("file.")) return std::pair{ref_kind::file, p.pos()};
  return std::nullopt;
}

}  // namespace

result<parsed_template> parse_template(std::string_view text) {
  parsed_template out;
  std::string literal;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      literal.append(text.substr(pos));
      break;
    }
    auto start = reference_start(text, open);
    if (!start) {  // not ours: pass "{{" through and keep scanning after it
      literal.append(text.substr(pos, open + 2 - pos));
      pos = open + 2;
      continue;
    }
    literal.append(text.substr(pos, open - pos));
    auto ref = parse_reference(text, open, start->first, start->second);
    if (!ref) return std::move(ref).err();
    if (!literal.empty()) out.segments.push_back(segment{std::move(literal), std::nullopt});
    literal.clear();
    pos = open + ref->text.size();
    out.segments.push_back(segment{{}, std::move(*ref)});
  }
  if (!literal.empty()) out.segments.push_back(segment{std::move(literal), std::nullopt});
  return out;
}

std::optional<lookalike> find_lookalike(std::string_view literal) {
  static const std::vector<std::string> kNamespaces = {"secrets", "env", "file"};
  for (std::size_t open = literal.find('{'); open != std::string_view::npos;
       open = literal.find('{', open + 1)) {
    bool doubled = open + 1 < literal.size() && literal[open + 1] == '{';
    std::size_t pos = open + (doubled ? 2 : 1);
    while (pos < literal.size() && is_space(literal[pos])) ++pos;
    std::size_t word_end = pos;
    while (word_end < literal.size() && is_name_char(literal[word_end])) ++word_end;
    if (word_end == pos || word_end >= literal.size() || literal[word_end] != '.') continue;
    std::string word(literal.substr(pos, word_end - pos));
    bool exact = std::find(kNamespaces.begin(), kNamespaces.end(), word) != kNamespaces.end();
    // `{{ secrets.` would have been a reference; `{ secrets.` or `{{ secret.` were meant to be.
    std::string meant = exact ? (doubled ? "" : word) : closest_name(word, kNamespaces);
    if (meant.empty()) continue;
    std::size_t close = literal.find('}', word_end);
    std::size_t end = close == std::string_view::npos ? literal.size() : close + 1;
    if (end < literal.size() && literal[end] == '}') ++end;
    return lookalike{std::string(literal.substr(open, std::min<std::size_t>(end - open, 60))),
                     meant};
  }
  return std::nullopt;
}

result<reference> parse_single_reference(std::string_view text) {
  std::string braced(text);
  std::size_t added = 0;  // columns the braces we add shift the text by
  if (text.find("{{") == std::string_view::npos) {
    braced = "{{ " + braced + " }}";
    added = 3;
  }
  auto parsed = parse_template(braced);
  if (!parsed) {
    // "column N: why", N counted in the braced text: count it in the text as typed.
    std::string message = parsed.err().message;
    std::size_t column = 0;
    if (std::sscanf(message.c_str(), "column %zu:", &column) == 1 && column > added)
      message = "column " + std::to_string(column - added) + message.substr(message.find(':'));
    return fail(errc::config, "'" + std::string(text) + "': " + message);
  }
  if (parsed->segments.size() != 1 || !parsed->segments[0].ref)
    return fail(errc::config, "'" + std::string(text) +
                                  "': expected one reference such as secrets.STORE.NAME, "
                                  "env.NAME or file.[PATH]");
  return std::move(parsed->segments[0].ref).value();
}

}  // namespace mcpl
