#include "providers/aws/aws_store.hpp"

#include "core/async.hpp"
#include "core/renewable.hpp"
#include "platform/read_file.hpp"
#include "providers/aws/aws_protocol.hpp"
#include "providers/aws/credential_chain.hpp"
#include "providers/http/ask.hpp"

namespace mcpl {

namespace {

using batch_values = std::vector<std::optional<std::string>>;

class aws_store final : public provider {
 public:
  aws_store(aws_settings s, std::unique_ptr<http_client> http, provider_context ctx)
      : s_(std::move(s)), http_(std::move(http)), ctx_(std::move(ctx)) {}

  asio::awaitable<result<std::string>> fetch(std::string identifier) override {
    auto ref = parse_aws_identifier(identifier);
    if (!ref) co_return ref.err();
    auto creds = co_await credentials();
    if (!creds) co_return creds.err();
    auto got = co_await ask(*http_, request("GetSecretValue", get_secret_value_body(*ref), *creds),
                            ctx_.deadline(), parse_get_secret_value);
    // Which identity AWS refused is the first thing to know when keys are found implicitly.
    if (!got && got.err().code == errc::refused)
      co_return fail(errc::refused,
                     got.err().message + " (credentials from " + s_.credentials.origin + ")");
    co_return got;
  }

  // Secrets without a version qualifier come 20 to a BatchGetSecretValue call. What a batch
  // lacks — a secret it reports an error for, or a whole batch refused because the policy
  // allows only GetSecretValue — is read one by one, which reports AWS's reason for it.
  asio::awaitable<std::vector<result<std::string>>> fetch_many(
      std::vector<std::string> identifiers) override {
    std::vector<std::size_t> plain;
    for (std::size_t i = 0; i < identifiers.size(); ++i) {
      auto ref = parse_aws_identifier(identifiers[i]);
      if (ref && ref->version_id.empty() && ref->version_stage.empty()) plain.push_back(i);
    }
    std::vector<std::optional<result<std::string>>> found(identifiers.size());
    if (plain.size() >= 2) {
      std::vector<std::vector<std::size_t>> batches;
      std::vector<asio::awaitable<result<batch_values>>> calls;
      for (std::size_t start = 0; start < plain.size(); start += max_batch) {
        batches.emplace_back(plain.begin() + start,
                             plain.begin() + std::min(plain.size(), start + max_batch));
        std::vector<std::string> ids;
        for (auto i : batches.back()) ids.push_back(identifiers[i]);
        calls.push_back(batch(std::move(ids)));
      }
      auto got = co_await gather(std::move(calls));
      for (std::size_t b = 0; b < batches.size(); ++b) {
        if (!got[b]) continue;
        for (std::size_t k = 0; k < batches[b].size(); ++k)
          if (auto& value = (*got[b])[k]) found[batches[b][k]].emplace(std::move(*value));
      }
    }
    co_return co_await fetch_missing(std::move(identifiers), std::move(found));
  }

  std::vector<std::string> consumed_env() const override { return s_.consumed_env; }
  std::string origin() const override { return s_.endpoint; }
  std::string credentials_source() const override { return s_.credentials.origin; }

 private:
  asio::awaitable<result<aws_credentials>> credentials() {
    return creds_.get([this] { return noted_credentials(); }, ctx_.round_number());
  }

  // The credentials, noted as secrets before anyone can see them; temporary ones are
  // obtained again before they expire.
  asio::awaitable<result<renewable<aws_credentials>::obtained>> noted_credentials() {
    auto creds = co_await obtain_credentials(s_, *http_, ctx_);
    if (!creds) co_return creds.err();
    ctx_.secret(creds->secret_access_key);
    ctx_.secret(creds->session_token);
    std::optional<std::chrono::steady_clock::duration> lifetime;
    if (creds->expiration)
      lifetime = std::max<std::chrono::system_clock::duration>(
          *creds->expiration - std::chrono::system_clock::now(), {});
    co_return renewable<aws_credentials>::obtained{std::move(*creds), lifetime};
  }

  http_request request(const std::string& operation, std::string body,
                       const aws_credentials& creds) const {
    return secrets_manager_request(s_, creds, operation, std::move(body),
                                   std::chrono::system_clock::now());
  }

  asio::awaitable<result<batch_values>> batch(std::vector<std::string> ids) {
    auto creds = co_await credentials();
    if (!creds) co_return creds.err();
    auto req = request("BatchGetSecretValue", batch_get_secret_value_body(ids), *creds);
    req.deadline = ctx_.deadline();
    auto res = co_await http_->send(std::move(req));
    if (!res) co_return res.err();
    co_return parse_batch_get_secret_value(res->status, res->body, ids);
  }

  aws_settings s_;
  std::unique_ptr<http_client> http_;
  provider_context ctx_;
  renewable<aws_credentials> creds_;
};

// A shared file's text, "" when it does not exist.
result<std::string> read_if_present(const std::string& path) {
  if (path.empty()) return std::string();
  auto read = read_secret_file(path);
  if (!read && read.err().code == errc::not_found) return std::string();
  return read;
}

}  // namespace

result<std::unique_ptr<provider>> make_aws_store(const nlohmann::json& configuration,
                                                 const provider_context& ctx) {
  auto files = aws_shared_file_paths(*ctx.env);
  for (auto [path, text] : {std::pair{&files.config_path, &files.config},
                            std::pair{&files.credentials_path, &files.credentials}}) {
    auto read = read_if_present(*path);
    if (!read) return read.err();
    *text = std::move(*read);
  }
  auto s = parse_aws_settings(configuration, *ctx.env, files);
  if (!s) return s.err();
  ctx.secret(s->credentials.keys.secret_access_key);
  ctx.secret(s->credentials.keys.session_token);
  ctx.secret(s->credentials.auth_token);
  return with_http_client<aws_store>(std::move(*s), ctx);
}

}  // namespace mcpl
