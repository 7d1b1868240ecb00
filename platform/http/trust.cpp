#include "platform/http/trust.hpp"

#include <dirent.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <string_view>

namespace mcpl {

namespace {

std::string openssl_reason() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

// Whether `dir` holds the subject-hash links ("5ad8a5d6.0") that OpenSSL looks issuers up by.
bool has_hash_links(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return false;
  bool found = false;
  while (dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name.size() == 10 && name.substr(8) == ".0" &&
        name.substr(0, 8).find_first_not_of("0123456789abcdef") == std::string_view::npos) {
      found = true;
      break;
    }
  }
  ::closedir(d);
  return found;
}

result<void> load(SSL_CTX* ctx, const std::string& file, const std::string& dir,
                  const std::string& what) {
  if (SSL_CTX_load_verify_locations(ctx, file.empty() ? nullptr : file.c_str(),
                                    dir.empty() ? nullptr : dir.c_str()) != 1)
    return fail(errc::config,
                what + ": cannot load '" + (file.empty() ? dir : file) + "': " + openssl_reason());
  return {};
}

}  // namespace

result<bool> load_trusted_certificates(ssl_ctx_st* ctx, const network_settings& settings) {
  bool trusted = false;
  if (!settings.cert_file.empty() || !settings.cert_dir.empty()) {
    if (!settings.cert_file.empty())
      if (auto r = load(ctx, settings.cert_file, "", "SSL_CERT_FILE"); !r) return r.err();
    if (!settings.cert_dir.empty())
      if (auto r = load(ctx, "", settings.cert_dir, "SSL_CERT_DIR"); !r) return r.err();
    trusted = true;
  } else {
    // The system store. A hashed directory is searched lazily, for the one issuer a
    // handshake needs; the bundle file would be parsed whole (~140 certificates, several
    // milliseconds), so it is loaded only where no hashed directory exists. Neither is
    // there in an empty root: then only a caFile is trusted.
    std::string dir = X509_get_default_cert_dir();
    std::string file = X509_get_default_cert_file();
    if (has_hash_links(dir)) {
      if (auto r = load(ctx, "", dir, "the system's trusted certificates"); !r) return r.err();
      trusted = true;
    } else if (::access(file.c_str(), F_OK) == 0) {
      if (auto r = load(ctx, file, "", "the system's trusted certificates"); !r) return r.err();
      trusted = true;
    }
  }
  if (!settings.ca_file.empty()) {
    if (auto r = load(ctx, settings.ca_file, "", "caFile"); !r) return r.err();
    trusted = true;
  }
  return trusted;
}

std::string nothing_trusted(const std::string& host) {
  return "TLS with " + host + ": no trusted certificates to verify it with (no system store at " +
         X509_get_default_cert_file() +
         "): give the store a caFile, or set SSL_CERT_FILE to a CA bundle";
}

}  // namespace mcpl
