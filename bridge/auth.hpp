// What a request to the remote server carries to authenticate, and what happens when the
// server refuses it (DESIGN §9): static headers are resolved once more, bypassing the cache;
// an OAuth token is obtained or renewed.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>

#include "bridge/notes.hpp"
#include "bridge/oauth_client.hpp"
#include "core/result.hpp"
#include "platform/http/http.hpp"

namespace mcpl {

/// The headers to send now, and a number that changes each time they are renewed.
struct credentials {
  http_headers headers;
  unsigned generation = 0;
};

class authenticator {
 public:
  virtual ~authenticator() = default;

  /// The headers every request carries now: the user's, and an OAuth bearer token.
  virtual asio::awaitable<result<credentials>> current() = 0;

  /// The server answered 401 (`head`) to a request that carried `generation`. Succeeds when
  /// there are new credentials to try; fails with errc::refused when there are none (exit
  /// 77), or as obtaining them failed.
  virtual asio::awaitable<result<void>> refused(const http_response& head,
                                                unsigned generation) = 0;
};

/// Resolves the header references again, bypassing the cache (the launcher's resolution).
using header_resolver = std::function<result<http_headers>()>;

/// Static headers: on the first 401, `again` resolves them once more (the secret may have
/// rotated); after that a 401 is final.
std::unique_ptr<authenticator> make_static_auth(http_headers headers, header_resolver again);

/// What OAuth client credentials need besides the client's own.
struct oauth_settings {
  client_credentials client;
  std::string server_url;       ///< the MCP server's
  http_headers headers;         ///< the user's static headers, sent too
  std::chrono::milliseconds timeout{30'000};  ///< each discovery or token request
  std::function<void(std::string_view)> note_secret;  ///< tokens and assertions, for redaction
};

/// OAuth client credentials (DESIGN §9): the first 401 leads, through the server's protected
/// resource metadata and its authorization server's metadata, to a token; the token is
/// renewed before it expires and when the server refuses it; a token refused as soon as it
/// was obtained is final (errc::refused).
std::unique_ptr<authenticator> make_oauth_auth(http_client& http, oauth_settings settings,
                                               bridge_notes notes);

}  // namespace mcpl
