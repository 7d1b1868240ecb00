// OAuth client credentials for the bridge (DESIGN §9): discovery on the first 401 (RFC 9728,
// then RFC 8414 / OpenID Connect), the token request, and its renewal through `renewable`.
#include <algorithm>

#include "bridge/auth.hpp"
#include "core/renewable.hpp"
#include "platform/http/url.hpp"
#include "providers/http/oauth.hpp"

namespace mcpl {

namespace {

using clock = std::chrono::steady_clock;

std::string origin_of(const std::string& url) {
  auto parsed = parse_url(url);
  return parsed ? parsed->origin() : "the authorization server";
}

class oauth_auth final : public authenticator {
 public:
  oauth_auth(http_client& http, oauth_settings settings, bridge_notes notes)
      : http_(http), s_(std::move(settings)), notes_(std::move(notes)) {
    std::erase_if(s_.headers, [](const auto& h) {  // the token is the authorization
      std::string name = h.first;
      std::transform(name.begin(), name.end(), name.begin(), ::tolower);
      return name == "authorization";
    });
  }

  asio::awaitable<result<credentials>> current() override {
    credentials out{s_.headers, token_.generation()};
    if (!server_) co_return out;  // not asked for a token yet
    auto token = co_await token_.get([this] { return obtain(); });
    if (!token) co_return token.err();
    out.headers.emplace_back("Authorization", "Bearer " + *token);
    out.generation = token_.generation();
    co_return out;
  }

  asio::awaitable<result<void>> refused(const http_response& head, unsigned generation) override {
    if (generation != token_.generation()) co_return result<void>();  // a newer token: try it
    if (server_ && generation == answered_refusal_)
      co_return fail(errc::refused, "the remote server refused the OAuth token " +
                                        std::string("obtained for it (HTTP 401)"));
    auto challenge = parse_bearer_challenge(head.header("www-authenticate"));
    if (!server_) {
      auto found = co_await discover(challenge);
      if (!found) co_return found.err();
    } else {
      notes_.debug("the remote server refused the OAuth token; obtaining a new one");
    }
    token_.invalidate();
    auto token = co_await token_.get([this] { return obtain(); });
    if (!token) co_return token.err();
    answered_refusal_ = token_.generation();
    co_return result<void>();
  }

 private:
  // A GET for metadata: the body of a 200, or nothing.
  asio::awaitable<std::optional<std::string>> fetch(const std::string& url) {
    http_request req;
    req.url = url;
    req.headers = {{"Accept", "application/json"}};
    req.deadline = clock::now() + s_.timeout;
    auto got = co_await http_.send(std::move(req));
    if (!got) {
      notes_.debug("OAuth discovery: " + got.err().message);
      co_return std::nullopt;
    }
    if (got->status != 200) {
      notes_.debug("OAuth discovery: " + origin_of(url) + " answered HTTP " +
                   std::to_string(got->status));
      co_return std::nullopt;
    }
    co_return std::move(got->body);
  }

  asio::awaitable<result<void>> discover(const bearer_challenge& challenge) {
    std::vector<std::string> where = resource_metadata_urls(s_.server_url);
    if (!challenge.resource_metadata.empty()) where.insert(where.begin(), challenge.resource_metadata);
    std::optional<resource_metadata> prm;
    for (const auto& url : where) {
      auto body = co_await fetch(url);
      if (!body) continue;
      auto parsed = parse_resource_metadata(*body, s_.server_url);
      if (!parsed) co_return parsed.err();
      prm = std::move(*parsed);
      break;
    }
    if (!prm)
      co_return fail(errc::refused, "the remote server asks for authorization (HTTP 401) but "
                                    "publishes no protected resource metadata");
    const std::string& issuer = prm->authorization_servers.front();
    for (const auto& url : authorization_server_metadata_urls(issuer)) {
      auto body = co_await fetch(url);
      if (!body) continue;
      auto as = parse_authorization_server(*body, issuer);
      if (!as) co_return as.err();
      server_ = std::move(*as);
      break;
    }
    if (!server_)
      co_return fail(errc::unavailable, "no metadata found for the authorization server " +
                                            origin_of(issuer));
    resource_ = prm->resource.empty() ? resource_of(s_.server_url) : prm->resource;
    scopes_ = s_.client.scopes;
    if (scopes_.empty() && !challenge.scope.empty()) {
      for (std::size_t at = 0; at < challenge.scope.size();) {
        auto end = std::min(challenge.scope.find(' ', at), challenge.scope.size());
        if (end > at) scopes_.push_back(challenge.scope.substr(at, end - at));
        at = end + 1;
      }
    }
    if (scopes_.empty()) scopes_ = prm->scopes_supported;
    notes_.debug("OAuth: token endpoint at " + origin_of(server_->token_endpoint));
    co_return result<void>();
  }

  asio::awaitable<result<renewable<std::string>::obtained>> obtain() {
    auto req = token_request(s_.client, *server_, resource_, scopes_, std::chrono::system_clock::now());
    if (!req) co_return req.err();
    for (const auto& [name, value] : req->headers)
      if (name == "Authorization") s_.note_secret(value);
    req->deadline = clock::now() + s_.timeout;
    auto got = co_await http_.send(std::move(*req));
    if (!got) co_return got.err();
    auto answer = parse_token_answer(got->status, got->body,
                                     "token endpoint " + origin_of(server_->token_endpoint));
    if (!answer) co_return answer.err();
    s_.note_secret(answer->value);
    notes_.debug("OAuth: obtained a token" +
                 (answer->lifetime
                      ? " for " +
                            std::to_string(
                                std::chrono::duration_cast<std::chrono::seconds>(*answer->lifetime)
                                    .count()) +
                            " s"
                      : std::string()));
    co_return std::move(*answer);
  }

  http_client& http_;
  oauth_settings s_;
  bridge_notes notes_;
  std::optional<authorization_server> server_;
  std::string resource_;
  std::vector<std::string> scopes_;
  renewable<std::string> token_;
  unsigned answered_refusal_ = ~0u;  // the token obtained after the last refusal
};

}  // namespace

std::unique_ptr<authenticator> make_oauth_auth(http_client& http, oauth_settings settings,
                                               bridge_notes notes) {
  return std::make_unique<oauth_auth>(http, std::move(settings), std::move(notes));
}

}  // namespace mcpl
