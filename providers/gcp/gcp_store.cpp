#include "providers/gcp/gcp_store.hpp"

#include <nlohmann/json.hpp>

#include "core/renewable.hpp"
#include "platform/read_file.hpp"
#include "providers/gcp/gcp_protocol.hpp"
#include "providers/http/ask.hpp"
#include "providers/http/metadata.hpp"
#include "providers/http/oauth.hpp"
#include "providers/settings.hpp"

namespace mcpl {

namespace {

// Anything else answering at that name (a captive portal, a proxy) is not the metadata
// server: Google's answers carry "Metadata-Flavor: Google".
bool is_google_metadata(const http_response& res) {
  return res.header("metadata-flavor") == "Google";
}

class gcp_store final : public provider {
 public:
  gcp_store(gcp_settings s, std::unique_ptr<http_client> http, provider_context ctx)
      : s_(std::move(s)), http_(std::move(http)), ctx_(std::move(ctx)) {}

  asio::awaitable<result<std::string>> fetch(std::string identifier) override {
    auto secret = parse_gcp_identifier(identifier);
    if (!secret) co_return secret.err();
    auto token = co_await token_.get([this] { return login(); }, ctx_.round_number());
    if (!token) co_return token.err();
    std::string project = secret->project;
    if (project.empty()) {
      auto found = co_await project_.get([this] { return project_id(); }, ctx_.round_number());
      if (!found) co_return found.err();
      project = *found;
    }
    co_return co_await ask(*http_, gcp_access_request(s_, *secret, project, *token),
                           ctx_.deadline(), parse_gcp_access);
  }

  std::vector<std::string> consumed_env() const override { return s_.consumed_env; }
  std::string origin() const override { return s_.endpoint; }
  std::string credentials_source() const override {
    std::string out = s_.source.origin;
    for (const auto& imp : s_.impersonations)
      out += ", then service account " + imp.url.substr(imp.url.rfind('/') + 1) + " (" +
             imp.origin + ")";
    return out;
  }

 private:
  // An access token (Google's live an hour), noted as a secret, obtained again before it expires.
  asio::awaitable<result<token_answer>> login() { co_return ctx_.secret(co_await new_token()); }

  // The source's token, then each impersonation's, made with the one before it.
  asio::awaitable<result<token_answer>> new_token() {
    auto token = co_await source_token();
    for (const auto& imp : s_.impersonations) {
      if (!token) break;
      ctx_.secret(token->value);
      auto now = std::chrono::system_clock::now();
      token_parser parse = [now](int status, const std::string& body) {
        return parse_impersonation_answer(status, body, now);
      };
      token = co_await ask(*http_, gcp_impersonation_request(imp, token->value), ctx_.deadline(),
                           std::move(parse));
      if (!token) token = fail(token.err().code, token.err().message + " (" + imp.origin + ")");
    }
    co_return token;
  }

  asio::awaitable<result<token_answer>> source_token() {
    const auto& c = s_.source;
    if (c.how == gcp_credential::kind::metadata) co_return co_await metadata_token();
    http_request req;
    std::string who;
    if (c.how == gcp_credential::kind::service_account) {
      auto assertion = gcp_assertion(c.key, std::chrono::system_clock::now());
      if (!assertion) co_return assertion.err();
      req = gcp_token_request(c.key, *assertion);
      who = "token endpoint " + c.key.token_uri + " (key " + c.origin + ")";
    } else {
      req = gcp_refresh_request(c.user);
      who = "token endpoint " + c.user.token_uri + " (" + c.origin + ")";
    }
    // A named parser: GCC 12 destroys a capturing lambda's std::function temporary twice
    // when it is built inside the co_await expression.
    token_parser parse = [who](int status, const std::string& body) {
      return parse_token_answer(status, body, who);
    };
    auto got = co_await ask(*http_, std::move(req), ctx_.deadline(), std::move(parse));
    // A user's refresh token is refused once revoked or expired: gcloud makes a new one.
    if (!got && got.err().code == errc::refused && c.how == gcp_credential::kind::authorized_user)
      got =
          fail(errc::refused, got.err().message + ": run `gcloud auth application-default login`");
    co_return got;
  }

  asio::awaitable<result<token_answer>> metadata_token() {
    auto res = co_await ask_metadata_first(
        *http_, gcp_metadata_token_request(s_.metadata_url), ctx_.deadline(),
        "no GCP credentials: no serviceAccountKey in the configuration, no "
        "GOOGLE_APPLICATION_CREDENTIALS and no gcloud application default credentials",
        "the metadata server at " + s_.metadata_url);
    if (!res) co_return res.err();
    if (!is_google_metadata(*res))
      co_return fail(errc::config, s_.metadata_url +
                                       " answered, but not as Google's metadata "
                                       "server (no Metadata-Flavor: Google)");
    co_return parse_token_answer(res->status, res->body, "metadata server");
  }

  // The project of `S` identifiers: configured, the key's, or the metadata server's.
  asio::awaitable<result<renewable<std::string>::obtained>> project_id() {
    if (!s_.project_id.empty()) co_return renewable<std::string>::lasting(s_.project_id);
    if (s_.source.how != gcp_credential::kind::metadata || !s_.impersonations.empty())
      co_return fail(errc::config,
                     "no project: set configuration.projectId, or name the secret "
                     "projects/P/secrets/S");
    answer_parser parse = [](int status, const std::string& body) -> result<std::string> {
      if (status == 200 && is_plain_name(body, "-.:")) return body;
      if (status == 200 && !body.empty())
        return fail(errc::config, "the metadata server's project is not a project ID");
      return fail(errc::config,
                  "no project: set configuration.projectId (the metadata server has none)");
    };
    co_return renewable<std::string>::lasting(co_await ask(
        *http_, gcp_metadata_project_request(s_.metadata_url), ctx_.deadline(), std::move(parse)));
  }

  gcp_settings s_;
  std::unique_ptr<http_client> http_;
  provider_context ctx_;
  login_token token_;
  renewable<std::string> project_;
};

}  // namespace

result<std::unique_ptr<provider>> make_gcp_store(const nlohmann::json& configuration,
                                                 const provider_context& ctx) {
  auto adc = gcp_adc_file_path(*ctx.env);
  if (!configuration.contains("serviceAccountKey") && !adc.path.empty()) {
    auto read = read_secret_file(adc.path);
    // The well-known file is looked for, GOOGLE_APPLICATION_CREDENTIALS's must be there.
    if (!read && (adc.variable || read.err().code != errc::not_found))
      return fail(read.err().code,
                  (adc.variable ? std::string(adc.variable) : "the gcloud ADC file") + ": " +
                      read.err().message);
    if (read) adc.text = std::move(*read);
  }
  auto s = parse_gcp_settings(configuration, *ctx.env, adc);
  if (!s) return s.err();
  ctx.secret_pem(s->source.key.private_key);
  ctx.secret(s->source.user.client_secret);
  ctx.secret(s->source.user.refresh_token);
  return with_http_client<gcp_store>(std::move(*s), ctx);
}

}  // namespace mcpl
