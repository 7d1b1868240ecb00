// The fields of a remote server definition (DESIGN §3, §9): the transport its `type` names,
// the URL (`url`, or Windsurf's `serverUrl`), headers, and OAuth client credentials.
#include "launcher/config_reader.hpp"

namespace mcpl {

namespace {

result<std::vector<std::string>> scopes_of(const config_reader& rd, const config_json& v,
                                           const std::string& field) {
  std::vector<std::string> out;
  if (v.is_string()) {  // "read write", as OAuth writes them
    std::string text = v.get<std::string>();
    for (std::size_t at = 0; at < text.size();) {
      auto end = text.find(' ', at);
      if (end == std::string::npos) end = text.size();
      if (end > at) out.push_back(text.substr(at, end - at));
      at = end + 1;
    }
    return out;
  }
  auto list = rd.string_array(v, field);
  if (!list) return std::move(list).err();
  for (auto& s : *list) out.push_back(std::move(s.value));
  return out;
}

result<oauth_def> oauth_of(const config_reader& rd, const config_json& v,
                           const std::string& field) {
  if (!v.is_object())
    return rd.bad(field, std::string("expected an object, found ") + v.type_name());
  rd.warn_unknown(v, field,
                  {"clientId", "clientSecret", "privateKey", "signingAlgorithm", "scopes"});
  oauth_def o;
  o.where = rd.where(field);
  for (auto [key, slot] : {std::pair{"clientId", &o.client_id},
                           {"clientSecret", &o.client_secret},
                           {"privateKey", &o.private_key},
                           {"signingAlgorithm", &o.signing_algorithm}}) {
    if (!v.contains(key)) continue;
    auto text = rd.string_field(v, key, field + "." + key);
    if (!text) return std::move(text).err();
    *slot = located{std::move(*text), rd.where(field + "." + key)};
  }
  if (v.contains("scopes")) {
    auto scopes = scopes_of(rd, v["scopes"], field + ".scopes");
    if (!scopes) return std::move(scopes).err();
    o.scopes = std::move(*scopes);
  }
  if (!o.client_id) return rd.bad(field, "OAuth client credentials need \"clientId\"");
  if (o.client_secret.has_value() == o.private_key.has_value())
    return rd.bad(field, "give \"clientSecret\" or \"privateKey\", one of them");
  if (o.signing_algorithm && o.signing_algorithm->value != "RS256" &&
      o.signing_algorithm->value != "ES256")
    return rd.bad(field + ".signingAlgorithm",
                  "'" + o.signing_algorithm->value + "' is not supported (RS256, ES256)");
  if (o.signing_algorithm && !o.private_key)
    return rd.bad(field + ".signingAlgorithm", "only used with \"privateKey\"");
  return o;
}

}  // namespace

result<void> read_remote_fields(const config_reader& rd, const config_json& v,
                                const std::string& field, server_def& d) {
  if (v.contains("type")) {
    auto type = rd.string_field(v, "type", field + ".type");
    if (!type) return std::move(type).err();
    if (*type == "http") {  // VS Code's: Streamable HTTP, falling back to HTTP+SSE
      d.remote = true;
    } else if (*type == "streamable-http" || *type == "sse") {
      d.remote = true;
      d.transport = *type;
    } else if (*type != "stdio") {
      return rd.bad(field + ".type",
                    "unknown type '" + *type + "' (stdio, http, streamable-http, sse)");
    }
  }
  for (const char* key : {"url", "serverUrl"}) {
    if (!v.contains(key)) continue;
    auto url = rd.string_field(v, key, field + "." + key);
    if (!url) return std::move(url).err();
    d.url = located{*url, rd.where(field + "." + key)};
    d.remote = true;
  }
  if (v.contains("headers")) {
    auto headers = rd.string_map(v["headers"], field + ".headers");
    if (!headers) return std::move(headers).err();
    d.headers = std::move(*headers);
  }
  if (v.contains("oauth")) {
    auto o = oauth_of(rd, v["oauth"], field + ".oauth");
    if (!o) return std::move(o).err();
    d.oauth = std::move(*o);
  }
  if (d.remote && !d.url) return rd.bad(field, "a remote server needs \"url\"");
  if (!d.remote && (!d.headers.empty() || d.oauth))
    return rd.bad(field, "\"headers\" and \"oauth\" are for a remote server, which needs \"url\"");
  return {};
}

}  // namespace mcpl
