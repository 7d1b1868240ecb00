
#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "core/duration.hpp"
#include "core/suggest.hpp"
#include "launcher/config.hpp"
#include "launcher/config_reader.hpp"
#include "launcher/jsonc.hpp"
#include "launcher/logging.hpp"

namespace mcpl {

namespace {

using json = config_json;

bool valid_name(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  return true;
}

// Reads one document's stores and servers; every check names the origin and the field.
class reader : public config_reader {
 public:
  using config_reader::config_reader;

  result<store_spec> store(const json& v, const std::string& field) const {
    if (!v.is_object()) return bad(field, "expected an object");
    warn_unknown(v, field, {"name", "type", "configuration", "mappings"});
    store_spec s;
    s.origin = origin();
    for (const char* key : {"name", "type"}) {
      if (!v.contains(key)) return bad(field, std::string("missing \"") + key + "\"");
      auto str = string_field(v, key, field + "." + key);
      if (!str) return std::move(str).err();
      (std::string(key) == "name" ? s.name : s.type) = std::move(*str);
    }
    if (!valid_name(s.name))
      return bad(field + ".name", "'" + s.name + "' is not a valid store name ([A-Za-z0-9_-]+)");
    if (v.contains("configuration")) {
      if (!v["configuration"].is_object())
        return bad(field + ".configuration", "expected an object");
      s.configuration = nlohmann::json(v["configuration"]);
      if (is_known_store_type(s.type)) {
        warn_unknown(s.configuration, field + ".configuration", configuration_fields(s.type));
        for (const auto& [key, nested] : s.configuration.items())
          if (nested.is_object() && !configuration_fields(s.type, key).empty())
            warn_unknown(nested, field + ".configuration." + key,
                         configuration_fields(s.type, key));
      }
    }
    if (v.contains("mappings")) {
      const auto& m = v["mappings"];
      if (!m.is_array()) return bad(field + ".mappings", "expected an array");
      for (std::size_t i = 0; i < m.size(); ++i) {
        std::string f = field + ".mappings[" + std::to_string(i) + "]";
        if (!m[i].is_object()) return bad(f, "expected an object");
        warn_unknown(m[i], f, {"name", "secretIdentifier"});
        if (!m[i].contains("name") || !m[i].contains("secretIdentifier"))
          return bad(f, "a mapping needs \"name\" and \"secretIdentifier\"");
        auto name = string_field(m[i], "name", f + ".name");
        if (!name) return std::move(name).err();
        auto id = string_field(m[i], "secretIdentifier", f + ".secretIdentifier");
        if (!id) return std::move(id).err();
        if (!valid_name(*name))
          return bad(f + ".name", "'" + *name + "' is not a valid mapping name ([A-Za-z0-9_-]+)");
        if (id->empty()) return bad(f + ".secretIdentifier", "empty");
        if (!s.mappings.emplace(*name, *id).second)
          return bad(f + ".name", "store '" + s.name + "' already has a mapping '" + *name + "'");
      }
    }
    return s;
  }

  result<server_def> server(const std::string& name, const json& v,
                            const std::string& field) const {
    if (!v.is_object())
      return bad(field, std::string("expected an object, found ") + v.type_name());
    server_def d;
    d.name = name;
    d.where = where(field);
    // Fields the clients themselves use are known, even where the launcher has no use for
    // them; anything else is likely a typo of one of ours.
    d.notes = unknown(v, field,
                      {"command", "args", "env", "cwd", "type", "url", "serverUrl", "headers",
                       "oauth", "disabled", "source", "settings", "timeout", "autoApprove",
                       "alwaysAllow", "description", "transportType", "envFile"});
    for (const char* client_only : {"envFile"})
      if (v.contains(client_only))
        d.notes.push_back(where(field + "." + client_only) +
                          ": read by the client, not by mcp-launch: put the variables in "
                          "\"env\" instead");
    if (auto r = read_remote_fields(*this, v, field, d); !r) return std::move(r).err();
    if (v.contains("command")) {
      const auto& c = v["command"];
      if (c.is_object()) {  // Zed's older form: "command": {"path", "args", "env"}
        auto r = command_object(c, field + ".command", d);
        if (!r) return std::move(r).err();
      } else if (c.is_string()) {
        d.command = located{c.get<std::string>(), where(field + ".command")};
      } else {
        return bad(field + ".command", std::string("expected a string, found ") + c.type_name());
      }
    }
    auto r = args_env_cwd(v, field, d);
    if (!r) return std::move(r).err();
    if (!d.remote && !d.command)
      return bad(field, "a stdio server needs \"command\" (or a remote one \"url\")");
    return d;
  }

 private:
  result<void> args_env_cwd(const json& v, const std::string& field, server_def& d) const {
    if (v.contains("args")) {
      auto a = string_array(v["args"], field + ".args");
      if (!a) return std::move(a).err();
      for (auto& x : *a) d.args.push_back(std::move(x));
    }
    if (v.contains("env")) {
      auto e = string_map(v["env"], field + ".env");
      if (!e) return std::move(e).err();
      for (auto& x : *e) d.env.push_back(std::move(x));
    }
    if (v.contains("cwd")) {
      auto c = string_field(v, "cwd", field + ".cwd");
      if (!c) return std::move(c).err();
      d.cwd = located{*c, where(field + ".cwd")};
    }
    return {};
  }

  result<void> command_object(const json& c, const std::string& field, server_def& d) const {
    for (auto& line : unknown(c, field, {"path", "args", "env"}))
      d.notes.push_back(std::move(line));
    if (!c.contains("path")) return bad(field, "missing \"path\"");
    auto path = string_field(c, "path", field + ".path");
    if (!path) return std::move(path).err();
    d.command = located{*path, where(field + ".path")};
    return args_env_cwd(c, field, d);
  }
};

// Why an entry of a client's servers map is not for the launcher to start, if it is not.
std::optional<std::string> not_ours(const json& def) {
  if (!def.is_object()) return std::nullopt;  // the strict parse says what is wrong
  if (auto d = def.find("disabled"); d != def.end() && d->is_boolean() && d->get<bool>())
    return std::string("the client has it disabled (\"disabled\": true)");
  if (auto s = def.find("source"); s != def.end() && s->is_string() && *s == "extension")
    return std::string(
        "a Zed extension's server (\"source\": \"extension\"), which Zed starts itself");
  return std::nullopt;
}

// nlohmann's messages quote the last token read, which may be an inline credential: keep
// the position and the reason, drop the token.
std::string json_error_text(const std::string& what) {
  std::string msg = what;
  if (auto at = msg.find("parse error at "); at != std::string::npos) msg = msg.substr(at + 15);
  if (auto last = msg.find("; last read"); last != std::string::npos) msg.erase(last);
  return msg;
}

}  // namespace

result<config> parse_config(std::string_view text, const std::string& origin) {
  json doc;
  try {
    doc = json::parse(strip_jsonc(text));
  } catch (const json::parse_error& e) {
    return fail(errc::config, origin + ": invalid JSON " + json_error_text(e.what()));
  } catch (const json::exception&) {  // out_of_range.406: a number too large for a double
    return fail(errc::config, origin + ": invalid JSON: a number is out of range");
  }
  reader rd(origin);
  if (!doc.is_object()) return fail(errc::config, origin + ": expected a JSON object at the top");
  rd.ignore_unknown(
      doc, "", {"secretStores", "mcpServers", "servers", "context_servers", "cache", "inputs"});
  config cfg;
  cfg.files.push_back(origin);
  if (doc.contains("secretStores")) {
    const auto& stores = doc["secretStores"];
    if (!stores.is_array()) return rd.bad("secretStores", "expected an array");
    std::set<std::string> names;
    for (std::size_t i = 0; i < stores.size(); ++i) {
      auto s = rd.store(stores[i], "secretStores[" + std::to_string(i) + "]");
      if (!s) return std::move(s).err();
      if (!names.insert(s->name).second)
        return rd.bad("secretStores[" + std::to_string(i) + "].name",
                      "duplicate store name '" + s->name + "'");
      cfg.stores.push_back(std::move(*s));
    }
  }
  for (const char* key : {"mcpServers", "servers", "context_servers"}) {
    if (!doc.contains(key)) continue;
    const auto& servers = doc[key];
    if (!servers.is_object()) return rd.bad(key, "expected an object of server definitions");
    for (const auto& [name, def] : servers.items()) {
      std::string field = std::string(key) + "." + name;
      if (auto why = not_ours(def)) {
        log::debug(rd.where(field) + ": skipped: " + *why);
        cfg.skipped[name] = rd.where(field) + ": " + *why;
        continue;
      }
      auto d = rd.server(name, def, field);
      if (!d) {
        log::debug(d.err().message + " (skipped until it is the server asked for)");
        cfg.skipped[name] = d.err().message;
        continue;
      }
      cfg.servers[name] = std::move(*d);
    }
  }
  if (doc.contains("cache")) {
    const auto& c = doc["cache"];
    if (!c.is_object()) return rd.bad("cache", "expected an object");
    rd.ignore_unknown(c, "cache", {"ttl"});
    if (c.contains("ttl")) {
      if (!c["ttl"].is_string()) return rd.bad("cache.ttl", "expected a duration such as \"60s\"");
      auto ttl = parse_duration(c["ttl"].get<std::string>());
      if (!ttl) return rd.bad("cache.ttl", ttl.err().message);
      cfg.cache_ttl = *ttl;
    }
  }
  return cfg;
}

}  // namespace mcpl
