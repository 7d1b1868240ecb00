// The store catalogue: the configured secret stores, the implicit ones, and the binding of
// written references to (store, identifier, selector).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "resolver/reference.hpp"

namespace mcpl {

/// One entry of `secretStores` (DESIGN §3), as configured.
struct store_spec {
  std::string name;
  std::string type;
  nlohmann::json configuration = nlohmann::json::object();  ///< may hold references
  std::map<std::string, std::string> mappings;              ///< name → secretIdentifier
  std::string origin;  ///< the file that defined it, for messages
};

/// Store names of the `env.NAME` and `file.[PATH]` namespaces. Braces keep them apart from
/// every configurable name ([A-Za-z0-9_-]+).
inline constexpr const char* kEnvNamespace = "{env}";
inline constexpr const char* kFileNamespace = "{file}";
/// The provider type behind `file.[PATH]`: any readable path, not confined to a directory.
inline constexpr const char* kPathType = "path";

/// A store's name as a user reads it: "env" and "file" for the built-in namespaces.
std::string store_label(const std::string& store);

/// The unit of fetching and caching: one per (store, identifier).
inline std::string fetch_key(const std::string& store, const std::string& fetch_id) {
  return store + '\n' + fetch_id;
}

/// A reference tied to the store that will fetch it.
struct bound_reference {
  std::string text;      ///< as written, for messages
  std::string store;     ///< catalogue name
  std::string fetch_id;  ///< what the store fetches (identifier without selector)
  std::string selector;  ///< applied locally after the fetch
  bool has_selector = false;
  bool as_file = false;
  bool trim = false;  ///< `| trim`, applied after the selector
  std::string where;  ///< the field it stands in ("environment variable X", "FILE: mcpServers.…")
  /// Set when the reference could not be bound (an unknown store or mapping) and the caller
  /// asked to go on: `check` reports it among the others instead of stopping at it.
  std::optional<error> unbound;
  ref_kind kind = ref_kind::secrets;

  std::string key() const { return fetch_key(store, fetch_id); }
};

/// A reference found in a store's configuration, with where it stands.
struct config_template {
  nlohmann::json::json_pointer where;  ///< the string's place in `configuration`
  std::string field;                   ///< the same as a dotted path, for messages
  parsed_template parsed;
  std::vector<bound_reference> refs;  ///< in the order of the segments that are references
};

class store_catalogue {
 public:
  /// Validates `stores` (types, names, references in configurations, dependency cycles) and
  /// adds the built-in namespaces and the implicit `env` and `file` stores when no store of
  /// that name is configured. Fails with errc::config naming the store and the field.
  static result<store_catalogue> make(std::vector<store_spec> stores);

  /// Ties `ref` to its store. Fails with errc::config ("unknown store 'x'", "store 'x' has
  /// no mapping 'y'", "empty selector") without a location; the caller adds it.
  result<bound_reference> bind(const reference& ref) const;

  const store_spec* find(const std::string& name) const;
  /// References in the configuration of store `name`, resolved before it is built.
  const std::vector<config_template>& config_templates(const std::string& name) const;

 private:
  std::map<std::string, store_spec> stores_;
  std::map<std::string, std::vector<config_template>> templates_;
};

/// The store types DESIGN §3 lists.
bool is_known_store_type(const std::string& type);

/// The fields a store of `type` reads from its `configuration` (`where` "" for the top
/// level, "auth" for Vault's auth object), for "did you mean" on an unknown one. Empty for
/// a type with none or an unknown type.
std::vector<std::string> configuration_fields(const std::string& type,
                                              const std::string& where = "");

}  // namespace mcpl
