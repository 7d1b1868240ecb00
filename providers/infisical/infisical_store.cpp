#include "providers/infisical/infisical_store.hpp"

#include <map>

#include "core/async.hpp"
#include "core/renewable.hpp"
#include "providers/http/ask.hpp"
#include "providers/infisical/infisical_protocol.hpp"

namespace mcpl {

namespace {

class infisical_store final : public provider {
 public:
  infisical_store(infisical_settings s, std::unique_ptr<http_client> http, provider_context ctx)
      : s_(std::move(s)), http_(std::move(http)), ctx_(std::move(ctx)) {}

  asio::awaitable<result<std::string>> fetch(std::string identifier) override {
    auto secret = parse_infisical_identifier(identifier, s_);
    if (!secret) co_return secret.err();
    auto token = co_await token_.get([this] { return login(); }, ctx_.round_number());
    if (!token) co_return token.err();
    co_return co_await ask(*http_, infisical_read_request(s_, *secret, *token), ctx_.deadline(),
                           parse_infisical_read);
  }

  // Keys without a version that share a folder come from one list request; what the list
  // lacks (imported or missing keys) and versioned keys are read one by one.
  asio::awaitable<std::vector<result<std::string>>> fetch_many(
      std::vector<std::string> identifiers) override {
    std::map<std::string, std::vector<std::pair<std::size_t, std::string>>>
        by_folder;  // index, key
    for (std::size_t i = 0; i < identifiers.size(); ++i) {
      auto secret = parse_infisical_identifier(identifiers[i], s_);
      if (secret && secret->version.empty()) by_folder[secret->path].emplace_back(i, secret->name);
    }
    std::vector<std::optional<result<std::string>>> listed(identifiers.size());
    std::vector<std::string> folders;
    std::vector<asio::awaitable<result<std::map<std::string, std::string>>>> lists;
    for (const auto& [path, members] : by_folder) {
      if (members.size() < 2) continue;
      folders.push_back(path);
      lists.push_back(list(path));
    }
    auto got = co_await gather(std::move(lists));
    for (std::size_t f = 0; f < folders.size(); ++f) {
      if (!got[f]) continue;  // e.g. no permission to list: single reads may still work
      for (const auto& [i, name] : by_folder[folders[f]])
        if (auto it = got[f]->find(name); it != got[f]->end()) listed[i].emplace(it->second);
    }
    co_return co_await fetch_missing(std::move(identifiers), std::move(listed));
  }

  std::vector<std::string> consumed_env() const override { return s_.consumed_env; }
  std::string origin() const override { return s_.site_url; }
  std::string credentials_source() const override {
    return s_.access_token.empty() ? "a universal-auth login" : "an access token";
  }

 private:
  asio::awaitable<result<std::map<std::string, std::string>>> list(std::string path) {
    auto token = co_await token_.get([this] { return login(); }, ctx_.round_number());
    if (!token) co_return token.err();
    auto req = infisical_list_request(s_, path, *token);
    req.deadline = ctx_.deadline();
    auto res = co_await http_->send(std::move(req));
    if (!res) co_return res.err();
    co_return parse_infisical_list(res->status, res->body);
  }

  asio::awaitable<result<token_answer>> login() {
    if (!s_.access_token.empty()) co_return login_token::lasting(s_.access_token);
    co_return ctx_.secret(
        co_await ask(*http_, infisical_login_request(s_), ctx_.deadline(), parse_infisical_login));
  }

  infisical_settings s_;
  std::unique_ptr<http_client> http_;
  provider_context ctx_;
  login_token token_;
};

}  // namespace

result<std::unique_ptr<provider>> make_infisical_store(const nlohmann::json& configuration,
                                                       const provider_context& ctx) {
  auto s = parse_infisical_settings(configuration, *ctx.env);
  if (!s) return s.err();
  ctx.secret(s->access_token);
  ctx.secret(s->client_secret);
  return with_http_client<infisical_store>(std::move(*s), ctx);
}

}  // namespace mcpl
