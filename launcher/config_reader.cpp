#include "launcher/config_reader.hpp"

#include <algorithm>
#include <map>

#include "core/suggest.hpp"
#include "launcher/logging.hpp"

namespace mcpl {

void config_reader::ignore_unknown(const config_json& object, const std::string& field,
                                   std::initializer_list<const char*> known) const {
  for (const auto& line : unknown(object, field, {known.begin(), known.end()})) log::debug(line);
}

std::vector<std::string> config_reader::unknown(const config_json& object, const std::string& field,
                                                const std::vector<std::string>& known) const {
  static const std::map<std::string, std::string> kLongForms = {{"environment", "env"},
                                                                {"arguments", "args"},
                                                                {"workingDirectory", "cwd"},
                                                                {"directory", "cwd"},
                                                                {"cmd", "command"}};
  std::vector<std::string> out;
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::vector<std::string> candidates = known;
    for (const auto& [spelled, short_form] : kLongForms)
      if (std::find(known.begin(), known.end(), short_form) != known.end())
        candidates.push_back(spelled);
    std::string guess = closest_name(key, candidates);
    if (auto it = kLongForms.find(guess);
        it != kLongForms.end() && std::find(known.begin(), known.end(), guess) == known.end())
      guess = it->second;
    out.push_back(where(field.empty() ? key : field + "." + key) + ": unknown field" +
                  (guess.empty() ? "" : " (did you mean '" + guess + "'?)") + ", ignored");
  }
  return out;
}

void config_reader::warn_unknown(const config_json& object, const std::string& field,
                                 const std::vector<std::string>& known) const {
  for (const auto& line : unknown(object, field, known)) log::warn(line);
}

result<std::string> config_reader::string_field(const config_json& object, const char* key,
                                                const std::string& field) const {
  const auto& v = object.at(key);
  if (!v.is_string()) return bad(field, std::string("expected a string, found ") + v.type_name());
  return v.get<std::string>();
}

result<std::vector<located>> config_reader::string_array(const config_json& v,
                                                         const std::string& field) const {
  if (!v.is_array())
    return bad(field, std::string("expected an array of strings, found ") + v.type_name());
  std::vector<located> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::string f = field + "[" + std::to_string(i) + "]";
    if (!v[i].is_string())
      return bad(f, std::string("expected a string, found ") + v[i].type_name());
    out.push_back({v[i].get<std::string>(), where(f)});
  }
  return out;
}

result<std::vector<std::pair<std::string, located>>> config_reader::string_map(
    const config_json& v, const std::string& field) const {
  if (!v.is_object())
    return bad(field, std::string("expected an object of strings, found ") + v.type_name());
  std::vector<std::pair<std::string, located>> out;
  for (const auto& [k, value] : v.items()) {
    std::string f = field + "." + k;
    if (!value.is_string())
      return bad(f, std::string("expected a string, found ") + value.type_name());
    out.push_back({k, {value.get<std::string>(), where(f)}});
  }
  return out;
}

}  // namespace mcpl
