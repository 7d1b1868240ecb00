// Name lookup that a deadline can abandon: getaddrinfo blocks, so it runs on a detached
// thread and reports through an eventfd. Asio's own resolver joins its thread when the
// io_context is destroyed, which would hold a launch past its deadline while DNS times out.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace mcpl {

/// The addresses of `host` (an IP literal needs no lookup) with `port`. Fails with
/// errc::unavailable when the name does not resolve or `until` passes first.
boost::asio::awaitable<result<std::vector<boost::asio::ip::tcp::endpoint>>> resolve_host(
    std::string host, std::string port, std::chrono::steady_clock::time_point until);

}  // namespace mcpl
