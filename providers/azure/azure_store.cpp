#include "providers/azure/azure_store.hpp"

#include "core/async.hpp"
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
    auto token = ctx_.secret(co_await token_.get([this] { return login(); }));
    if (!token) co_return token.err();
    co_return co_await ask(*http_, azure_secret_request(s_, *secret, *token), ctx_.deadline,
                           parse_azure_secret);
  }

  std::vector<std::string> consumed_env() const override { return s_.consumed_env; }
  std::string origin() const override { return s_.vault_url; }

 private:
  asio::awaitable<result<std::string>> login() {
    // Named parsers: GCC 12 destroys a capturing lambda's std::function temporary twice when
    // it is built inside the co_await expression.
    answer_parser entra = [who = s_.authority_host](int status, const std::string& body) {
      return parse_access_token(status, body, "Microsoft Entra ID " + who);
    };
    answer_parser managed = [](int status, const std::string& body) {
      return parse_access_token(status, body, "managed identity");
    };
    switch (s_.how) {
      case kind::client_secret:
        co_return co_await ask(*http_, entra_token_request(s_, ""), ctx_.deadline,
                               std::move(entra));
      case kind::workload_identity: {
        auto read = read_secret_file(s_.federated_token_file);
        if (!read)
          co_return fail(read.err().code, "AZURE_FEDERATED_TOKEN_FILE: " + read.err().message);
        std::string assertion = ctx_.secret(trim_token(std::move(*read)));
        co_return co_await ask(*http_, entra_token_request(s_, assertion), ctx_.deadline,
                               std::move(entra));
      }
      case kind::app_service:
        co_return co_await ask(*http_, managed_identity_request(s_), ctx_.deadline,
                               std::move(managed));
      case kind::instance_metadata: {
        auto res = co_await ask_metadata_first(
            *http_, managed_identity_request(s_), ctx_.deadline,
            "no Azure credentials: no clientSecret (or AZURE_CLIENT_SECRET), no workload identity "
            "(AZURE_FEDERATED_TOKEN_FILE) and no IDENTITY_ENDPOINT",
            "the managed identity endpoint at " + s_.imds_endpoint);
        if (!res) co_return res.err();
        co_return managed(res->status, res->body);
      }
    }
    co_return fail(errc::internal, "unknown Azure credential");
  }

  azure_settings s_;
  std::unique_ptr<http_client> http_;
  provider_context ctx_;
  async_once<result<std::string>> token_;
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
