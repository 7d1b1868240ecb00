#include "resolver/selector.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

namespace mcpl {

split_identifier split_selector(std::string_view identifier) {
  auto hash = identifier.find('#');
  if (hash == std::string_view::npos) return {std::string(identifier), {}, false};
  return {std::string(identifier.substr(0, hash)), std::string(identifier.substr(hash + 1)), true};
}

namespace {

using json = nlohmann::json;

std::string key_list(const json& object) {
  std::string keys;
  for (const auto& [k, v] : object.items()) {
    if (!keys.empty()) keys += ", ";
    keys += k;
  }
  return keys.empty() ? "none" : keys;
}

// RFC 6901 §4: "~1" is '/', "~0" is '~'; any other '~' is an error.
result<std::string> unescape_token(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] != '~') {
      out += token[i];
      continue;
    }
    if (i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
      continue;
    }
    return fail(errc::content, "invalid JSON pointer: '~' must be followed by 0 or 1");
  }
  return out;
}

result<const json*> step(const json& at, const std::string& token, std::string_view pointer) {
  auto where = [&] { return "selector '#" + std::string(pointer) + "': "; };
  if (at.is_object()) {
    auto it = at.find(token);
    if (it == at.end())
      return fail(errc::content, where() + "no key '" + token + "' (keys: " + key_list(at) + ")");
    return &*it;
  }
  if (at.is_array()) {
    bool digits = !token.empty() && token.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || (token.size() > 1 && token[0] == '0'))
      return fail(errc::content, where() + "'" + token + "' is not an array index");
    // An index too large for size_t is past the end too: parsed without exceptions.
    std::size_t index = 0;
    auto parsed = std::from_chars(token.data(), token.data() + token.size(), index);
    if (parsed.ec != std::errc() || index >= at.size())
      return fail(errc::content, where() + "index " + token + " is past the end (size " +
                                     std::to_string(at.size()) + ")");
    return &at[index];
  }
  return fail(errc::content,
              where() + "cannot descend into a " + at.type_name() + " with '" + token + "'");
}

}  // namespace

result<std::string> apply_selector(const std::string& value, std::string_view selector) {
  json doc = json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded())
    return fail(errc::content, "selector '#" + std::string(selector) + "': the secret is not JSON");
  const json* at = &doc;
  if (!selector.empty() && selector[0] == '/') {
    std::size_t pos = 1;
    while (true) {
      std::size_t slash = selector.find('/', pos);
      auto raw = selector.substr(
          pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
      auto token = unescape_token(raw);
      if (!token) return std::move(token).err();
      auto next = step(*at, *token, selector);
      if (!next) return std::move(next).err();
      at = *next;
      if (slash == std::string_view::npos) break;
      pos = slash + 1;
    }
  } else {
    if (!doc.is_object())
      return fail(errc::content, "selector '#" + std::string(selector) +
                                     "': the secret is a JSON " + doc.type_name() +
                                     ", not an object");
    auto next = step(doc, std::string(selector), selector);
    if (!next) return std::move(next).err();
    at = *next;
  }
  if (at->is_string()) return at->get<std::string>();
  return at->dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace mcpl
