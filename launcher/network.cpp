#include "launcher/network.hpp"

namespace mcpl {

namespace {

// The first of `names` that is set and not empty.
std::string first_of(const environment& env, std::initializer_list<const char*> names) {
  for (const char* name : names)
    if (auto it = env.find(name); it != env.end() && !it->second.empty()) return it->second;
  return {};
}

}  // namespace

network_settings read_network_settings(const environment& env) {
  network_settings s;
  s.cert_file = first_of(env, {"SSL_CERT_FILE"});
  s.cert_dir = first_of(env, {"SSL_CERT_DIR"});
  // curl reads only the lower-case http_proxy (a CGI program's HTTP_PROXY is set by the
  // client); for https both spellings are customary, lower case first.
  s.https_proxy = first_of(env, {"https_proxy", "HTTPS_PROXY"});
  s.no_proxy = first_of(env, {"no_proxy", "NO_PROXY"});
  return s;
}

}  // namespace mcpl
