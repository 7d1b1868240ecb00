// Which certificates the HTTPS client trusts: the system's store — or SSL_CERT_FILE and
// SSL_CERT_DIR instead of it — and a store's caFile besides. An empty root file system (a
// `scratch` container) has no system store: a caFile or SSL_CERT_FILE is then enough.
#pragma once

#include <string>

#include "core/result.hpp"
#include "platform/http/http.hpp"

struct ssl_ctx_st;

namespace mcpl {

/// Loads what `settings` says to trust into `ctx`. Returns whether anything is trusted (a
/// system without a trust store, and no file given, trusts nothing); fails with errc::config
/// naming a file or directory that is there but cannot be loaded.
result<bool> load_trusted_certificates(ssl_ctx_st* ctx, const network_settings& settings);

/// Why a TLS connection to `host` cannot be verified when nothing is trusted, and what to do.
std::string nothing_trusted(const std::string& host);

}  // namespace mcpl
