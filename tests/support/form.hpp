// Requests compared as a server reads them: the fields of a form body or a query, decoded,
// whatever their order and however their bytes were escaped.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace mcpl::test {

/// The name → value pairs of `text` ("a=1&b=x%20y"), %XX and '+' decoded.
inline std::map<std::string, std::string> form_fields(std::string_view text) {
  auto decode = [](std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        out += ' ';
      } else if (s[i] == '%' && i + 2 < s.size()) {
        out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  };
  std::map<std::string, std::string> fields;
  while (!text.empty()) {
    auto amp = text.find('&');
    auto pair = text.substr(0, amp);
    auto eq = pair.find('=');
    fields[decode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1));
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
  }
  return fields;
}

/// The query of `url` as fields; the part before '?' is left out.
inline std::map<std::string, std::string> query_fields(std::string_view url) {
  auto q = url.find('?');
  return q == std::string_view::npos ? std::map<std::string, std::string>{}
                                     : form_fields(url.substr(q + 1));
}

}  // namespace mcpl::test
