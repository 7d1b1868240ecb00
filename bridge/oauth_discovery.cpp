#include "bridge/oauth_discovery.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "platform/http/url.hpp"

namespace mcpl {

namespace {

using json = nlohmann::json;

// "scheme://authority" and the path of an absolute URL (without its query).
std::pair<std::string, std::string> split_url(const std::string& url) {
  auto scheme = url.find("://");
  auto path_at = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  std::string origin = url.substr(0, path_at);
  std::string path = path_at == std::string::npos ? "" : url.substr(path_at);
  path = path.substr(0, path.find_first_of("?#"));
  while (!path.empty() && path.back() == '/') path.pop_back();
  return {origin, path};
}

std::vector<std::string> strings(const json& doc, const char* key) {
  std::vector<std::string> out;
  if (auto it = doc.find(key); it != doc.end() && it->is_array())
    for (const auto& v : *it)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::string text(const json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

bearer_challenge parse_bearer_challenge(std::string_view header) {
  bearer_challenge out;
  // Find the Bearer scheme (case-insensitive), then read its auth-params: name=value or
  // name="quoted value", separated by commas, until the next scheme.
  std::string lower(header);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  auto at = lower.find("bearer");
  while (at != std::string::npos && at > 0 && lower[at - 1] != ' ' && lower[at - 1] != ',')
    at = lower.find("bearer", at + 1);
  if (at == std::string::npos) return out;
  std::size_t i = at + 6;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',')) ++i;
    auto eq = header.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string name(header.substr(i, eq - i));
    if (name.find(' ') != std::string::npos) break;  // the next scheme
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    std::string value;
    i = eq + 1;
    if (i < header.size() && header[i] == '"') {
      for (++i; i < header.size() && header[i] != '"'; ++i) {
        if (header[i] == '\\' && i + 1 < header.size()) ++i;
        value += header[i];
      }
      ++i;
    } else {
      auto end = header.find(',', i);
      value = std::string(header.substr(i, end == std::string_view::npos ? end : end - i));
      while (!value.empty() && value.back() == ' ') value.pop_back();
      i = end == std::string_view::npos ? header.size() : end;
    }
    if (name == "error") out.error = value;
    if (name == "resource_metadata") out.resource_metadata = value;
    if (name == "scope") out.scope = value;
  }
  return out;
}

std::vector<std::string> resource_metadata_urls(const std::string& server_url) {
  auto [origin, path] = split_url(server_url);
  std::vector<std::string> out;
  if (!path.empty()) out.push_back(origin + "/.well-known/oauth-protected-resource" + path);
  out.push_back(origin + "/.well-known/oauth-protected-resource");
  return out;
}

std::vector<std::string> authorization_server_metadata_urls(const std::string& issuer) {
  auto [origin, path] = split_url(issuer);
  if (path.empty())
    return {origin + "/.well-known/oauth-authorization-server",
            origin + "/.well-known/openid-configuration"};
  return {origin + "/.well-known/oauth-authorization-server" + path,
          origin + "/.well-known/openid-configuration" + path,
          origin + path + "/.well-known/openid-configuration"};
}

std::string resource_of(const std::string& server_url) {
  return server_url.substr(0, server_url.find_first_of("?#"));
}

result<resource_metadata> parse_resource_metadata(const std::string& body,
                                                  const std::string& server_url) {
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_object())
    return fail(errc::unavailable, "the protected resource metadata is not a JSON object");
  resource_metadata out{text(doc, "resource"), strings(doc, "authorization_servers"),
                        strings(doc, "scopes_supported")};
  if (out.authorization_servers.empty())
    return fail(errc::unavailable, "the protected resource metadata names no authorization server");
  if (!out.resource.empty()) {
    auto [origin, path] = split_url(out.resource);
    auto [server_origin, server_path] = split_url(server_url);
    auto lower = [](std::string s) {
      std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
      return s;
    };
    bool prefix = server_path == path ||
                  (server_path.starts_with(path) && server_path[path.size()] == '/');
    if (lower(origin) != lower(server_origin) || !prefix)
      return fail(errc::refused,
                  "the protected resource metadata is for another resource than the server's URL");
  }
  return out;
}

result<authorization_server> parse_authorization_server(const std::string& body,
                                                        const std::string& issuer) {
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_object())
    return fail(errc::unavailable, "the authorization server metadata is not a JSON object");
  authorization_server out{text(doc, "issuer"), text(doc, "token_endpoint"),
                           strings(doc, "token_endpoint_auth_methods_supported"),
                           strings(doc, "token_endpoint_auth_signing_alg_values_supported")};
  auto trimmed = [](std::string s) {
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
  };
  if (trimmed(out.issuer) != trimmed(issuer))
    return fail(errc::refused, "the authorization server metadata names another issuer");
  if (out.token_endpoint.empty())
    return fail(errc::unavailable, "the authorization server metadata names no token endpoint");
  if (auto parsed = parse_url(out.token_endpoint); !parsed)
    return fail(errc::unavailable, "the token endpoint is " + parsed.err().message);
  return out;
}

}  // namespace mcpl
