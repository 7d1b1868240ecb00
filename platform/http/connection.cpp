// TCP and TLS connections with Beast and OpenSSL. The only file that includes Beast.
#include "platform/http/connection.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "platform/http/resolve.hpp"
#include "platform/http/trust.hpp"

namespace mcpl {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use = asio::as_tuple(asio::use_awaitable);

std::string reason(const boost::system::error_code& ec) {
  if (ec == beast::error::timeout) return "timed out";
  if (ec == bhttp::error::body_limit) return "response too large";
  return ec.message();
}

bool closed_by_peer(const boost::system::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == ssl::error::stream_truncated;
}

// One connection over `Stream`: beast::tcp_stream or ssl_stream<tcp_stream>.
template <class Stream>
class beast_connection final : public http_connection {
 public:
  beast_connection(Stream stream, std::string host_header, std::size_t max_body)
      : stream_(std::move(stream)), host_(std::move(host_header)), max_body_(max_body) {}

  asio::awaitable<result<http_response>> exchange(const http_request& req,
                                                  const std::string& target,
                                                  time_point until) override {
    bool reused = used_;
    if (auto sent = co_await write(req, target, until); !sent) co_return sent.err();
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(max_body_);
    parser.header_limit(64 * 1024);
    auto [rec, read] = co_await bhttp::async_read(stream_, buffer_, parser, use);
    if (rec == bhttp::error::body_limit || rec == bhttp::error::header_limit)
      co_return fail(errc::content, "the response is larger than " +
                                        std::to_string(max_body_ >> 20) + " MiB; not read");
    if (rec) {
      stale_ = reused && !parser.got_some() && closed_by_peer(rec);
      co_return fail(errc::unavailable, "reading the response: " + reason(rec));
    }
    auto& msg = parser.get();
    reusable_ = msg.keep_alive();
    http_response res = head_of(msg);
    res.body = std::move(msg.body());
    co_return res;
  }

  asio::awaitable<result<http_response>> start(const http_request& req, const std::string& target,
                                               time_point until) override {
    if (auto sent = co_await write(req, target, until); !sent) co_return sent.err();
    streaming_.emplace();
    streaming_->header_limit(64 * 1024);
    streaming_->body_limit(boost::none);  // a stream has no end a limit could wait for
    auto [rec, read] = co_await bhttp::async_read_header(stream_, buffer_, *streaming_, use);
    if (rec) {
      stale_ = reused_ && !streaming_->got_some() && closed_by_peer(rec);
      co_return fail(errc::unavailable, "reading the response: " + reason(rec));
    }
    // From here on the stream may stay quiet for as long as the server likes.
    beast::get_lowest_layer(stream_).expires_never();
    co_return head_of(streaming_->get());
  }

  asio::awaitable<result<std::string>> read_some() override {
    if (!streaming_) co_return fail(errc::internal, "no response is being read");
    if (streaming_->is_done()) {
      reusable_ = streaming_->get().keep_alive();
      co_return std::string();
    }
    // A read may parse only framing (a chunk's size line): go on until body bytes come.
    char chunk[16384];
    std::string out;
    while (out.empty() && !streaming_->is_done()) {
      auto& body = streaming_->get().body();
      body.data = chunk;
      body.size = sizeof chunk;
      auto [ec, read] = co_await bhttp::async_read_some(stream_, buffer_, *streaming_, use);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) co_return fail(errc::unavailable, "reading the response: " + reason(ec));
      out.assign(chunk, sizeof chunk - body.size);
    }
    if (out.empty()) reusable_ = streaming_->get().keep_alive();
    co_return out;
  }

  bool reusable() const override { return reusable_; }
  bool stale() const override { return stale_; }

 private:
  // Sends the request; every step by `until`.
  asio::awaitable<result<void>> write(const http_request& req, const std::string& target,
                                      time_point until) {
    bool reused = reused_ = used_;
    used_ = true;
    reusable_ = stale_ = false;
    bhttp::request<bhttp::string_body> out{bhttp::string_to_verb(req.method), target, 11};
    out.set(bhttp::field::host, host_);
    out.set(bhttp::field::user_agent, "mcp-launch");
    for (const auto& [name, value] : req.headers) out.insert(name, value);
    out.body() = req.body;
    out.prepare_payload();
    beast::get_lowest_layer(stream_).expires_at(until);
    auto [wec, written] = co_await bhttp::async_write(stream_, out, use);
    if (wec) {
      stale_ = reused && closed_by_peer(wec);
      co_return fail(errc::unavailable, "sending the request: " + reason(wec));
    }
    co_return result<void>{};
  }

  template <class Message>
  static http_response head_of(const Message& msg) {
    http_response res;
    res.status = static_cast<int>(msg.result_int());
    for (const auto& field : msg)
      res.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    return res;
  }

  Stream stream_;
  std::string host_;
  std::size_t max_body_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::response_parser<bhttp::buffer_body>> streaming_;
  bool used_ = false, reused_ = false, reusable_ = false, stale_ = false;
};

class tls_connector final : public http_connector {
 public:
  tls_connector(ssl::context ctx, std::size_t max_body, bool trusted)
      : ctx_(std::move(ctx)), max_body_(max_body), trusted_(trusted) {}

  asio::awaitable<result<std::unique_ptr<http_connection>>> connect(url_parts origin,
                                                                    std::optional<url_parts> proxy,
                                                                    time_point until) override {
    // Nothing to verify an https server with: no name lookup or connection can help.
    if (origin.scheme != "http" && !trusted_)
      co_return fail(errc::config, nothing_trusted(origin.host_port()));
    auto ex = co_await asio::this_coro::executor;
    const url_parts& hop = proxy ? *proxy : origin;
    std::string where = (proxy ? "proxy " : "") + hop.host_port();
    auto endpoints = co_await resolve_host(hop.host, hop.port, until);
    if (!endpoints) co_return endpoints.err();
    beast::tcp_stream tcp(ex);
    tcp.expires_at(until);
    auto [cec, ep] = co_await tcp.async_connect(*endpoints, use);
    if (cec) co_return fail(errc::unavailable, "connecting to " + where + ": " + reason(cec));
    tcp.socket().set_option(tcp::no_delay(true));

    if (proxy) {
      std::string authority = origin.host_port();
      bhttp::request<bhttp::empty_body> req{bhttp::verb::connect, authority, 11};
      req.set(bhttp::field::host, authority);
      auto [wec, w] = co_await bhttp::async_write(tcp, req, use);
      if (wec) co_return fail(errc::unavailable, "CONNECT through " + where + ": " + reason(wec));
      beast::flat_buffer buf;
      bhttp::response_parser<bhttp::empty_body> parser;
      parser.skip(true);  // a CONNECT response has no body: the tunnel follows
      auto [rec, r] = co_await bhttp::async_read_header(tcp, buf, parser, use);
      if (rec) co_return fail(errc::unavailable, "CONNECT through " + where + ": " + reason(rec));
      int status = static_cast<int>(parser.get().result_int());
      if (status != 200)
        co_return fail(status == 407 ? errc::refused : errc::unavailable,
                       where + " answered CONNECT with HTTP " + std::to_string(status));
    }

    if (origin.scheme == "http")
      co_return std::make_unique<beast_connection<beast::tcp_stream>>(
          std::move(tcp), origin.authority(), max_body_);

    beast::ssl_stream<beast::tcp_stream> tls(std::move(tcp), ctx_);
    SSL* handle = tls.native_handle();
    if (is_ip_literal(origin.host)) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), origin.host.c_str());
    } else {
      SSL_set_tlsext_host_name(handle, origin.host.c_str());  // SNI: names only (RFC 6066)
      SSL_set1_host(handle, origin.host.c_str());
    }
    auto [hec] = co_await tls.async_handshake(ssl::stream_base::client, use);
    if (hec) {
      long verdict = SSL_get_verify_result(handle);
      if (verdict != X509_V_OK)
        co_return fail(errc::refused,
                       "TLS with " + origin.host_port() +
                           ": certificate not accepted: " + X509_verify_cert_error_string(verdict));
      co_return fail(errc::unavailable, "TLS with " + origin.host_port() + ": " + reason(hec));
    }
    co_return std::make_unique<beast_connection<beast::ssl_stream<beast::tcp_stream>>>(
        std::move(tls), origin.authority(), max_body_);
  }

 private:
  ssl::context ctx_;
  std::size_t max_body_;
  bool trusted_;  // anything to verify a server with (an empty root may have nothing)
};

}  // namespace

asio::awaitable<result<http_response>> http_connection::start(const http_request&,
                                                               const std::string&, time_point) {
  co_return fail(errc::internal, "this connection cannot stream a response");
}

asio::awaitable<result<std::string>> http_connection::read_some() {
  co_return fail(errc::internal, "this connection cannot stream a response");
}

result<std::unique_ptr<http_connector>> make_tls_connector(const network_settings& settings) {
  ssl::context ctx(ssl::context::tls_client);
  SSL_CTX* native = ctx.native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
  // An idle kept-alive connection gives its 2 x ~17 KiB record buffers back: the bridge may
  // hold hundreds.
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  auto trusted = load_trusted_certificates(native, settings);
  if (!trusted) return trusted.err();
  return std::unique_ptr<http_connector>(std::make_unique<tls_connector>(
      std::move(ctx), settings.limits.max_response_bytes, *trusted));
}

}  // namespace mcpl
