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

 private:
  // An access token (Google's live an hour), noted as a secret, obtained again before it expires.
  asio::awaitable<result<token_answer>> login() { co_return ctx_.secret(co_await new_token()); }

  asio::awaitable<result<token_answer>> new_token() {
    if (s_.use_key) {
      auto assertion = gcp_assertion(s_.key, std::chrono::system_clock::now());
      if (!assertion) co_return assertion.err();
      std::string who = "token endpoint " + s_.key.token_uri + " (key " + s_.key_origin + ")";
      // A named parser: GCC 12 destroys a capturing lambda's std::function temporary twice
      // when it is built inside the co_await expression.
      token_parser parse = [who](int status, const std::string& body) {
        return parse_token_answer(status, body, who);
      };
      co_return co_await ask(*http_, gcp_token_request(s_.key, *assertion), ctx_.deadline(),
                             std::move(parse));
    }
    auto res = co_await ask_metadata_first(
        *http_, gcp_metadata_token_request(s_.metadata_url), ctx_.deadline(),
        "no GCP credentials: no serviceAccountKey in the configuration and no "
        "GOOGLE_APPLICATION_CREDENTIALS",
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
    if (s_.use_key)
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
  std::string key_file;
  std::string path = env_value(*ctx.env, "GOOGLE_APPLICATION_CREDENTIALS");
  if (!configuration.contains("serviceAccountKey") && !path.empty()) {
    auto read = read_secret_file(path);
    if (!read)
      return fail(read.err().code, "GOOGLE_APPLICATION_CREDENTIALS: " + read.err().message);
    key_file = std::move(*read);
  }
  auto s = parse_gcp_settings(configuration, *ctx.env, key_file);
  if (!s) return s.err();
  // The whole key, and each of its lines: a message could hold one line of the PEM.
  ctx.secret(s->key.private_key);
  for (std::size_t pos = 0; pos < s->key.private_key.size();) {
    std::size_t end = s->key.private_key.find('\n', pos);
    if (end == std::string::npos) end = s->key.private_key.size();
    std::string line = s->key.private_key.substr(pos, end - pos);
    if (!line.starts_with("-----")) ctx.secret(line);
    pos = end + 1;
  }
  return with_http_client<gcp_store>(std::move(*s), ctx);
}

}  // namespace mcpl
