// The network settings every store's HTTP client shares, read from the environment once,
// at the edge.
#pragma once

#include "platform/http/http.hpp"
#include "providers/provider.hpp"

namespace mcpl {

/// SSL_CERT_FILE, SSL_CERT_DIR, HTTPS_PROXY (or https_proxy) and NO_PROXY (or no_proxy).
network_settings read_network_settings(const environment& env);

}  // namespace mcpl
