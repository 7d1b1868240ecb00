// Reading one config document: every check names the document and the field it read
// ("FILE: mcpServers.x.env.TOKEN: expected a string"). Shared by the parts of the parser.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "launcher/config.hpp"

namespace mcpl {

// Ordered, so that a definition's fields (its env block) keep the order of the file: that
// is the order `check` reports them in.
using config_json = nlohmann::ordered_json;

class config_reader {
 public:
  explicit config_reader(std::string origin) : origin_(std::move(origin)) {}

  error bad(const std::string& field, const std::string& what) const {
    return fail(errc::config, origin_ + ": " + field + ": " + what);
  }
  std::string where(const std::string& field) const { return origin_ + ": " + field; }
  const std::string& origin() const { return origin_; }

  /// Says each field of `object` not in `known` at debug level (a client's keys, not ours).
  void ignore_unknown(const config_json& object, const std::string& field,
                      std::initializer_list<const char*> known) const;

  /// One line per field of `object` that is not in `known`, with the closest known one; a
  /// word spelled out in full (`environment` for `env`) counts as near its field.
  std::vector<std::string> unknown(const config_json& object, const std::string& field,
                                   const std::vector<std::string>& known) const;

  void warn_unknown(const config_json& object, const std::string& field,
                    const std::vector<std::string>& known) const;

  result<std::string> string_field(const config_json& object, const char* key,
                                   const std::string& field) const;
  result<std::vector<located>> string_array(const config_json& v, const std::string& field) const;
  result<std::vector<std::pair<std::string, located>>> string_map(const config_json& v,
                                                                  const std::string& field) const;

 private:
  std::string origin_;
};

/// Reads the remote fields of the server definition `v` at `field` (DESIGN §3, §9): `type`,
/// `url`/`serverUrl`, `headers` and `oauth`, into `d` (setting `d.remote` when it has any).
result<void> read_remote_fields(const config_reader& rd, const config_json& v,
                                const std::string& field, server_def& d);

}  // namespace mcpl
