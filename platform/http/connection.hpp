// One HTTP/1.1 connection and the thing that opens them: the seam between the pool
// (pool.cpp, plain C++) and Beast/OpenSSL (connection.cpp, the only file that includes
// Beast).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "platform/http/http.hpp"
#include "platform/http/url.hpp"

namespace mcpl {

using time_point = std::chrono::steady_clock::time_point;

class http_connection {
 public:
  virtual ~http_connection() = default;

  /// Sends `req` for `target` (path and query) and reads the whole response, all by `until`.
  virtual asio::awaitable<result<http_response>> exchange(const http_request& req,
                                                          const std::string& target,
                                                          time_point until) = 0;

  /// Sends `req` for `target` and reads the response's status and headers by `until`,
  /// leaving its body to `read_some`.
  virtual asio::awaitable<result<http_response>> start(const http_request& req,
                                                       const std::string& target,
                                                       time_point until);

  /// The next bytes of the body `start` left, with no deadline; "" at its end.
  virtual asio::awaitable<result<std::string>> read_some();

  /// Whether the connection can carry another request (keep-alive, response read whole).
  virtual bool reusable() const = 0;

  /// Whether the last exchange failed because the peer had already closed the connection
  /// (a kept-alive connection it timed out): worth one more try on a fresh connection.
  virtual bool stale() const = 0;
};

class http_connector {
 public:
  virtual ~http_connector() = default;

  /// Opens a connection to `origin`, through `proxy` (HTTP CONNECT) when given, with TLS for
  /// https, by `until`.
  virtual asio::awaitable<result<std::unique_ptr<http_connection>>> connect(
      url_parts origin, std::optional<url_parts> proxy, time_point until) = 0;
};

/// The real connector: TCP, and TLS 1.2+ with OpenSSL verifying the peer and the host name,
/// sending SNI. Trusts `settings.cert_file`/`cert_dir` when set, else the system store, and
/// `settings.ca_file` in addition. Fails with errc::config when a bundle cannot be loaded.
result<std::unique_ptr<http_connector>> make_tls_connector(const network_settings& settings);

/// A client over `connector` that keeps connections alive, per origin and proxy, at most
/// `limits.max_connections_per_origin` at a time; more requests wait for a free one.
std::unique_ptr<http_client> make_pooled_client(std::unique_ptr<http_connector> connector,
                                                network_settings settings);

}  // namespace mcpl
