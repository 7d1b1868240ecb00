// A secret store as a config file defines it, for the tests of the catalogue and the engine.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "resolver/stores.hpp"

namespace mcpl::test {

inline store_spec spec(std::string name, std::string type,
                       nlohmann::json conf = nlohmann::json::object(),
                       std::map<std::string, std::string> mappings = {}) {
  store_spec s;
  s.name = std::move(name);
  s.type = std::move(type);
  s.configuration = std::move(conf);
  s.mappings = std::move(mappings);
  s.origin = "cfg.json";
  return s;
}

}  // namespace mcpl::test
