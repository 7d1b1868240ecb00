// Static headers (DESIGN §9): sent as resolved; the first 401 resolves their references once
// more, bypassing the cache, in case the secret rotated; a 401 after that is final (77).
#include "bridge/auth.hpp"

namespace mcpl {

namespace {

class static_auth final : public authenticator {
 public:
  static_auth(http_headers headers, header_resolver again)
      : headers_(std::move(headers)), again_(std::move(again)) {}

  asio::awaitable<result<credentials>> current() override { co_return credentials{headers_, generation_}; }

  asio::awaitable<result<void>> refused(const http_response&, unsigned generation) override {
    if (generation != generation_) co_return result<void>();  // renewed meanwhile: try those
    if (resolved_again_ || !again_)
      co_return fail(errc::refused, "the remote server refused the credentials (HTTP 401)");
    resolved_again_ = true;
    auto fresh = again_();
    if (!fresh) co_return fresh.err();
    headers_ = std::move(*fresh);
    ++generation_;
    co_return result<void>();
  }

 private:
  http_headers headers_;
  header_resolver again_;
  unsigned generation_ = 0;
  bool resolved_again_ = false;
};

}  // namespace

std::unique_ptr<authenticator> make_static_auth(http_headers headers, header_resolver again) {
  return std::make_unique<static_auth>(std::move(headers), std::move(again));
}

}  // namespace mcpl
