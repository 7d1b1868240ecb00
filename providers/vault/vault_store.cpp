#include "providers/vault/vault_store.hpp"

#include "core/renewable.hpp"
#include "platform/read_file.hpp"
#include "providers/http/ask.hpp"
#include "providers/settings.hpp"
#include "providers/vault/vault_protocol.hpp"

namespace mcpl {

namespace {

class vault_store final : public provider {
 public:
  vault_store(vault_settings s, std::unique_ptr<http_client> http, provider_context ctx)
      : s_(std::move(s)), http_(std::move(http)), ctx_(std::move(ctx)) {}

  asio::awaitable<result<std::string>> fetch(std::string identifier) override {
    auto secret = parse_kv2_identifier(identifier);
    if (!secret) co_return secret.err();
    auto token = co_await token_.get([this] { return login(); }, ctx_.round_number());
    if (!token) co_return token.err();
    co_return co_await ask(*http_, kv2_read_request(s_, *secret, *token), ctx_.deadline(),
                           [&](int status, const std::string& body) {
                             return parse_kv2_response(status, body, s_, *secret);
                           });
  }

  result<std::string> unselected(const std::string& value) const override {
    return kv2_single_value(value);
  }

  std::vector<std::string> consumed_env() const override { return s_.consumed_env; }
  std::string origin() const override { return s_.address; }
  std::string credentials_source() const override {
    using method = vault_settings::method;
    if (s_.auth == method::approle) return "AppRole login at auth/" + s_.auth_mount;
    if (s_.auth == method::kubernetes) return "Kubernetes login at auth/" + s_.auth_mount;
    return s_.token.empty() ? "the token in " + s_.token_file : "a token";
  }

 private:
  // The token: configured, or obtained by a login, again before its TTL runs out.
  asio::awaitable<result<token_answer>> login() {
    if (s_.auth == vault_settings::method::token) co_return login_token::lasting(s_.token);
    std::string jwt;
    if (s_.auth == vault_settings::method::kubernetes) {
      auto read = read_secret_file(s_.jwt_file);
      if (!read) co_return fail(read.err().code, "auth.jwtFile: " + read.err().message);
      jwt = ctx_.secret(trim_token(std::move(*read)));
    }
    co_return ctx_.secret(
        co_await ask(*http_, vault_login_request(s_, jwt), ctx_.deadline(), parse_vault_login));
  }

  vault_settings s_;
  std::unique_ptr<http_client> http_;
  provider_context ctx_;
  login_token token_;
};

}  // namespace

result<std::unique_ptr<provider>> make_vault_store(const nlohmann::json& configuration,
                                                   const provider_context& ctx) {
  auto s = parse_vault_settings(configuration, *ctx.env);
  if (!s) return s.err();
  if (s->auth == vault_settings::method::token && s->token.empty()) {
    auto read = read_secret_file(s->token_file);
    if (!read) {
      if (read.err().code == errc::not_found)
        return fail(errc::config,
                    "no Vault token: set configuration.token or VAULT_TOKEN, "
                    "log in with `vault login` (~/.vault-token), or configure auth");
      return fail(read.err().code, "~/.vault-token: " + read.err().message);
    }
    s->token = trim_token(std::move(*read));
    if (s->token.empty()) return fail(errc::config, s->token_file + " is empty");
  }
  ctx.secret(s->token);
  ctx.secret(s->secret_id);
  return with_http_client<vault_store>(std::move(*s), ctx);
}

}  // namespace mcpl
