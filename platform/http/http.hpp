// The one HTTP client every network store uses (STYLE: an interface, so that tests can
// replace the network and Beast stays out of headers). HTTP/1.1; TLS always verifies the
// peer and the host name; plain http:// only to loopback and to
// cloud metadata endpoints (DESIGN §7).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace mcpl {

namespace asio = boost::asio;

using http_headers = std::vector<std::pair<std::string, std::string>>;

struct http_response {
  int status = 0;
  http_headers headers;
  std::string body;

  /// The first header named `name` (case-insensitive), or "" when absent.
  std::string header(std::string_view name) const;
};

struct http_request {
  std::string method = "GET";
  std::string url;  ///< absolute: scheme://host[:port]/path?query
  http_headers headers;
  std::string body;
  /// A store's own sign of a transient answer besides 429 and 5xx (AWS throttles with
  /// HTTP 400); the retrying client retries it like them.
  bool (*transient)(const http_response&) = nullptr;
  /// When the whole exchange, retries included, must be over.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

/// Bounds that keep one misbehaving server from costing more than it should.
struct http_limits {
  std::chrono::milliseconds connect_timeout{5000};   ///< name lookup + TCP + proxy + TLS
  std::chrono::milliseconds request_timeout{10000};  ///< one attempt: write, wait, read
  std::size_t max_response_bytes = 16u << 20;
  std::size_t max_connections_per_origin = 64;  ///< docs/design.md: connections per store
};

/// What the client may trust and which proxies it goes through; read once at the edge.
struct network_settings {
  std::string ca_file;      ///< extra PEM bundle (a store's `caFile`)
  std::string cert_file;    ///< SSL_CERT_FILE: replaces the system bundle
  std::string cert_dir;     ///< SSL_CERT_DIR: replaces the system directory
  std::string https_proxy;  ///< HTTPS_PROXY / https_proxy
  std::string no_proxy;     ///< NO_PROXY / no_proxy
  http_limits limits;
};

/// Counters for benchmarks and debug logs.
struct http_stats {
  std::size_t requests = 0;     ///< attempts sent, retries included
  std::size_t connections = 0;  ///< TCP (+TLS) connections opened
};

/// A response whose body is read as it arrives: the SSE stream of a remote MCP server.
class http_stream {
 public:
  virtual ~http_stream() = default;

  /// The status and headers (the body is not in it).
  virtual const http_response& head() const = 0;

  /// The next bytes of the body as they arrive; "" once it has ended. There is no deadline:
  /// a stream may stay quiet for as long as the server likes, and the caller stops it by
  /// cancelling the awaiting coroutine. Fails with errc::unavailable when the connection
  /// breaks.
  virtual asio::awaitable<result<std::string>> read_some() = 0;
};

class http_client {
 public:
  virtual ~http_client() = default;

  /// Sends `req` and returns as soon as the response's status and headers have arrived (by
  /// `req.deadline`, and within the connect and request bounds), with its body left to be
  /// read as it comes. Not retried: a stream's reader knows whether a request may be sent
  /// again. Fails as `send` does.
  virtual asio::awaitable<result<std::unique_ptr<http_stream>>> open(http_request req);

  /// Sends `req` and returns the response, whatever its status. Fails with
  /// errc::unavailable (could not connect, timed out, connection dropped, response too
  /// large), errc::refused (TLS verification failed) or errc::config (a URL it may not
  /// use); the message names the origin and the reason, never a header value or body.
  virtual asio::awaitable<result<http_response>> send(http_request req) = 0;

  virtual http_stats stats() const = 0;
};

/// The real client: keep-alive connection pools per origin over TCP/TLS (OpenSSL), with
/// transient failures retried (retry.hpp). Fails with errc::config when a trust bundle
/// (`ca_file`, SSL_CERT_FILE, SSL_CERT_DIR) cannot be loaded.
result<std::unique_ptr<http_client>> make_https_client(const network_settings& settings);

}  // namespace mcpl
