#include "platform/http/url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace mcpl {

std::string url_parts::host_port() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + port;
}

std::string url_parts::origin() const { return scheme + "://" + host_port(); }

std::string url_parts::authority() const {
  bool default_port = (scheme == "https" && port == "443") || (scheme == "http" && port == "80");
  std::string h = host_port();
  return default_port ? h.substr(0, h.size() - port.size() - 1) : h;
}

bool is_ip_literal(std::string_view host) {
  std::string h(host);
  unsigned char buf[16];
  return inet_pton(AF_INET, h.c_str(), buf) == 1 || inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

bool is_loopback_host(std::string_view host) {
  std::string h(host);
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return std::tolower(c); });
  if (h == "localhost" || h == "::1") return true;
  in_addr v4{};
  return inet_pton(AF_INET, h.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

bool is_metadata_host(std::string_view host) {
  std::string h(host);
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return std::tolower(c); });
  if (h == "metadata.google.internal") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 16) == 0xa9fe;
  unsigned char v6[16];
  if (inet_pton(AF_INET6, h.c_str(), v6) != 1) return false;
  static const unsigned char ec2[8] = {0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0};
  return (v6[0] == 0xfe && (v6[1] & 0xc0) == 0x80) || std::equal(ec2, ec2 + 8, v6);
}

result<url_parts> parse_url(std::string_view url) {
  auto bad = [&](const std::string& why) {
    // The URL itself is not echoed: it could carry credentials.
    return fail(errc::config, "not a usable URL: " + why);
  };
  // A line break or space would end the request line early and start a header of the
  // URL's choosing (a URL from IDENTITY_ENDPOINT or AWS_CONTAINER_CREDENTIALS_FULL_URI).
  if (std::any_of(url.begin(), url.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; }))
    return bad("it holds a space or a control character");
  url_parts p;
  auto colon = url.find("://");
  if (colon == std::string_view::npos) return bad("it has no scheme://");
  p.scheme = std::string(url.substr(0, colon));
  std::transform(p.scheme.begin(), p.scheme.end(), p.scheme.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (p.scheme != "https" && p.scheme != "http") return bad("only https:// and http:// are used");
  auto rest = url.substr(colon + 3);
  auto end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, end);
  p.target = end == std::string_view::npos ? "/" : std::string(rest.substr(end));
  if (p.target.find('#') != std::string::npos) return bad("it has a #fragment");
  if (p.target.front() == '?') p.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos)
    return bad("credentials do not belong in a URL");
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("an IPv6 address lacks its ']'");
    p.host = std::string(authority.substr(1, close - 1));
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("junk after the IPv6 address");
      port = after.substr(1);
    }
    unsigned char buf[16];
    if (inet_pton(AF_INET6, p.host.c_str(), buf) != 1) return bad("a bad IPv6 address");
  } else {
    auto c = authority.rfind(':');
    p.host = std::string(authority.substr(0, c));
    if (c != std::string_view::npos) port = authority.substr(c + 1);
  }
  if (p.host.empty()) return bad("it has no host");
  for (unsigned char ch : p.host)
    if (!std::isalnum(ch) && ch != '-' && ch != '.' && ch != '_' && ch != ':')
      return bad("the host has a character hosts cannot have");
  if (port.empty()) {
    p.port = p.scheme == "https" ? "443" : "80";
  } else {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) ||
        std::stoi(std::string(port)) == 0 || std::stoi(std::string(port)) > 65535)
      return bad("a bad port");
    p.port = std::string(port);
  }
  return p;
}

result<std::string> check_base_url(std::string_view url, std::string_view field) {
  auto parts = parse_url(url);
  if (!parts) return fail(errc::config, std::string(field) + ": " + parts.err().message);
  if (parts->scheme == "http" && !is_loopback_host(parts->host))
    return fail(errc::config, std::string(field) + ": plain http:// is only allowed to a " +
                                  "loopback address; use https://");
  if (parts->target.find('?') != std::string::npos)
    return fail(errc::config, std::string(field) + ": a base URL cannot have a query");
  std::string out(url);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string percent_encode(std::string_view text, bool keep_slash) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string form_body(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params)
    out += (out.empty() ? "" : "&") + percent_encode(name) + "=" + percent_encode(value);
  return out;
}

std::string query_string(const std::vector<std::pair<std::string, std::string>>& params) {
  return params.empty() ? "" : "?" + form_body(params);
}

}  // namespace mcpl
