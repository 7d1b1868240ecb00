#include "providers/azure/azure_store.hpp"

#include "core/renewable.hpp"
#include "platform/read_file.hpp"
#include "providers/azure/azure_protocol.hpp"
#include "providers/http/ask.hpp"
#include "providers/http/metadata.hpp"
#include "providers/http/oauth.hpp"
#include "providers/settings.hpp"

namespace mcpl {

namespace {

using kind = azure_settings::kind;

class azure_store final : public provider {
 public:
  azure_store(azure_settings s, std::unique_ptr<http_client> http, provider_context ctx)
      : s_(std::move(s)), http_(std::move(http)), ctx_(std::move(ctx)) {}

  asio::awaitable<result<std::string>> fetch(std::string identifier) override {
    auto secret = parse_azure_identifier(identifier);
    if (!secret) co_return secret.err();
    auto token = co_await token_.get([this] { return login(); }, ctx_.round_number());
    if (!token) co_return token.err();
    co_return co_await ask(*http_, azure_secret_request(s_, *secret, *token), ctx_.deadline(),
                           parse_azure_secret);
  }

  std::vector<std::string> consumed_env() const override { return s_.consumed_env; }
  std::string origin() const override { return s_.vault_url; }

 private:
  // An access token, noted as a secret, obtained again before it expires.
  asio::awaitable<result<token_answer>> login() {
    auto token = co_await new_token();
    co_return ctx_.secret(std::move(token));
  }

  asio::awaitable<result<token_answer>> new_token() {
    // Named parsers: GCC 12 destroys a capturing lambda's std::function temporary twice when
    // it is built inside the co_await expression.
    token_parser entra = [who = s_.authority_host](int status, const std::string& body) {
      return parse_token_answer(status, body, "Microsoft Entra ID " + who);
    };
    token_parser managed = [](int status, const std::string& body) {
      return parse_token_answer(status, body, "managed identity");
    };
    if (s_.how == kind::instance_metadata) {
      auto res = co_await ask_metadata_first(
          *http_, managed_identity_request(s_), ctx_.deadline(),
          "no Azure credentials: no clientSecret (or AZURE_CLIENT_SECRET), no workload identity "
          "(AZURE_FEDERATED_TOKEN_FILE) and no IDENTITY_ENDPOINT",
          "the managed identity endpoint at " + s_.imds_endpoint);
      if (!res) co_return res.err();
      co_return managed(res->status, res->body);
    }
    http_request req;
    switch (s_.how) {
      case kind::client_secret:
        req = entra_token_request(s_, "");
        break;
      case kind::workload_identity: {
        auto read = read_secret_file(s_.federated_token_file);
        if (!read)
          co_return fail(read.err().code, "AZURE_FEDERATED_TOKEN_FILE: " + read.err().message);
        req = entra_token_request(s_, ctx_.secret(trim_token(std::move(*read))));
        break;
      }
      case kind::app_service:
      case kind::instance_metadata:
        req = managed_identity_request(s_);
        entra = std::move(managed);
        break;
    }
    auto got = co_await ask(*http_, std::move(req), ctx_.deadline(), std::move(entra));
    co_return got;
  }

  azure_settings s_;
  std::unique_ptr<http_client> http_;
  provider_context ctx_;
  login_token token_;
};

}  // namespace

result<std::unique_ptr<provider>> make_azure_store(const nlohmann::json& configuration,
                                                   const provider_context& ctx) {
  auto s = parse_azure_settings(configuration, *ctx.env);
  if (!s) return s.err();
  ctx.secret(s->client_secret);
  ctx.secret(s->identity_header);
  return with_http_client<azure_store>(std::move(*s), ctx);
}

}  // namespace mcpl
