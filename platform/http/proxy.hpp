// Which proxy a connection goes through: HTTPS_PROXY and NO_PROXY as curl and Go read them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "platform/http/url.hpp"

namespace mcpl {

/// The proxy for a connection to `target`, or nothing for a direct connection. Loopback
/// targets are never proxied; plain-http targets are loopback only (DESIGN §7), so only
/// https targets use `https_proxy`. `no_proxy` is a comma-separated list of host names
/// (matching the name and its subdomains, a leading '.' or "*." allowed), IP addresses,
/// optional ":port", or "*" for everything. Fails with errc::config when the proxy URL is
/// not an http:// URL (TLS to the proxy itself is not supported).
result<std::optional<url_parts>> choose_proxy(const url_parts& target, std::string_view https_proxy,
                                              std::string_view no_proxy);

}  // namespace mcpl
