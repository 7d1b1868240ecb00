#include "platform/http/proxy.hpp"

#include <algorithm>
#include <cctype>

namespace mcpl {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// One NO_PROXY entry against the target's host and port.
bool matches(std::string_view entry, const std::string& host, const std::string& port) {
  if (entry == "*") return true;
  std::string e = lower(entry);
  // "[::1]:8080", "host:8080", "10.0.0.1" — a port, when given, must match too.
  if (!e.empty() && e.front() == '[') {
    auto close = e.find(']');
    if (close == std::string::npos) return false;
    std::string rest = e.substr(close + 1);
    e = e.substr(1, close - 1);
    if (!rest.empty() && (rest.front() != ':' || rest.substr(1) != port)) return false;
  } else if (auto c = e.rfind(':'); c != std::string::npos && e.find(':') == c) {
    if (e.substr(c + 1) != port) return false;
    e = e.substr(0, c);
  }
  if (e.rfind("*.", 0) == 0) e.erase(0, 1);
  if (e.empty()) return false;
  if (e.front() == '.') e.erase(0, 1);
  if (host == e) return true;
  return !is_ip_literal(host) && host.size() > e.size() &&
         host.compare(host.size() - e.size(), e.size(), e) == 0 &&
         host[host.size() - e.size() - 1] == '.';
}

}  // namespace

result<std::optional<url_parts>> choose_proxy(const url_parts& target, std::string_view https_proxy,
                                              std::string_view no_proxy) {
  if (target.scheme != "https" || is_loopback_host(target.host) || trim(https_proxy).empty())
    return std::optional<url_parts>{};
  std::string host = lower(target.host);
  std::string_view list = no_proxy;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto entry = trim(list.substr(0, comma));
    if (!entry.empty() && matches(entry, host, target.port)) return std::optional<url_parts>{};
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  std::string spec(trim(https_proxy));
  if (spec.find("://") == std::string::npos) spec = "http://" + spec;  // "proxy:3128", as curl
  auto proxy = parse_url(spec);
  if (!proxy) return fail(errc::config, "HTTPS_PROXY: " + proxy.err().message);
  if (proxy->scheme != "http")
    return fail(errc::config, "HTTPS_PROXY: only http:// proxies are supported (CONNECT)");
  return std::optional<url_parts>{std::move(*proxy)};
}

}  // namespace mcpl
