#include "providers/azure/azure_store.hpp"

#include "core/renewable.hpp"
#include "platform/crypto.hpp"
#include "platform/read_file.hpp"
#include "providers/azure/azure_credentials.hpp"
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
  std::string credentials_source() const override {
    return s_.how == kind::instance_metadata && use_cli_ ? "the Azure CLI's login (az)" : s_.origin;
  }

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
    if (s_.how == kind::instance_metadata) co_return co_await managed_or_cli();
    http_request req;
    switch (s_.how) {
      case kind::client_secret:
        req = entra_token_request(s_, "");
        break;
      case kind::client_certificate: {
        auto assertion = entra_certificate_assertion(
            s_, s_.certificate, std::chrono::system_clock::now(), hex(random_bytes(16)));
        if (!assertion) co_return assertion.err();
        req = entra_token_request(s_, *assertion);
        break;
      }
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

  // DefaultAzureCredential's last two: the VM's managed identity, then — when no identity
  // answers there, as on a laptop — the Azure CLI's login. Whichever gave a token is kept.
  asio::awaitable<result<token_answer>> managed_or_cli() {
    result<token_answer> token = fail(errc::config, "");
    if (!use_cli_) {
      auto res = co_await ask_metadata_first(
          *http_, managed_identity_request(s_), ctx_.deadline(),
          "no Azure credentials: no clientSecret (or AZURE_CLIENT_SECRET), no client "
          "certificate, no workload identity (AZURE_FEDERATED_TOKEN_FILE), no IDENTITY_ENDPOINT",
          "the managed identity endpoint at " + s_.imds_endpoint);
      if (res) token = parse_token_answer(res->status, res->body, "managed identity");
      if (!res) token = res.err();
    }
    if (use_cli_ || (!token && token.err().code == errc::config)) {
      auto cli = co_await from_cli();
      // No CLI either: both reasons, the managed identity's first.
      if (!cli && cli.err().code == errc::config && !use_cli_)
        cli = fail(errc::config, token.err().message + "; " + cli.err().message);
      if (cli) use_cli_ = true;
      token = std::move(cli);
    }
    co_return token;
  }

  asio::awaitable<result<token_answer>> from_cli() {
    result<token_answer> token = fail(errc::config, "the Azure CLI cannot be run here");
    if (ctx_.run_program) {
      // The CLI is slow to start, but a login it cannot refresh in this time will not come.
      auto limit = std::min(ctx_.deadline(), std::chrono::steady_clock::now() + cli_time_limit);
      auto ran = co_await ctx_.run_program(azure_cli_request(s_, *ctx_.env), limit);
      if (ran)
        token = parse_azure_cli(*ran, std::chrono::system_clock::now());
      else if (ran.err().code == errc::command_not_found)
        token = fail(errc::config,
                     std::string("no Azure CLI login (") + azure_cli + " is not on PATH)");
      else
        token = fail(ran.err().code, "the Azure CLI: " + ran.err().message);
    }
    co_return token;
  }

  static constexpr std::chrono::seconds cli_time_limit{20};

  azure_settings s_;
  std::unique_ptr<http_client> http_;
  provider_context ctx_;
  login_token token_;
  bool use_cli_ = false;  // the managed identity had none, the CLI's login did
};

// The certificate of a certificate credential: the configuration's PEM, or the file
// AZURE_CLIENT_CERTIFICATE_PATH names (PEM or PKCS#12), opened once. The key's lines are
// secrets as the file writes them and as they are kept (PKCS#8).
result<client_certificate> load_certificate(const azure_settings& s, const provider_context& ctx) {
  std::string text = s.certificate_pem, where = "configuration.clientCertificate";
  if (text.empty()) {
    where = "AZURE_CLIENT_CERTIFICATE_PATH " + s.certificate_path;
    auto read = read_secret_file(s.certificate_path);
    if (!read) return fail(read.err().code, "AZURE_CLIENT_CERTIFICATE_PATH: " + read.err().message);
    text = std::move(*read);
  }
  if (text.find("-----BEGIN") != std::string::npos) ctx.secret_pem(text);
  auto cert = read_client_certificate(text, s.certificate_password);
  if (!cert) return fail(cert.err().code, where + ": " + cert.err().message);
  ctx.secret_pem(cert->private_key_pem);
  return cert;
}

}  // namespace

result<std::unique_ptr<provider>> make_azure_store(const nlohmann::json& configuration,
                                                   const provider_context& ctx) {
  auto s = parse_azure_settings(configuration, *ctx.env);
  if (!s) return s.err();
  ctx.secret(s->client_secret);
  ctx.secret(s->identity_header);
  ctx.secret(s->certificate_password);
  if (s->how == kind::client_certificate) {
    auto loaded = load_certificate(*s, ctx);
    if (!loaded) return loaded.err();
    s->certificate = std::move(*loaded);
  }
  return with_http_client<azure_store>(std::move(*s), ctx);
}

}  // namespace mcpl
