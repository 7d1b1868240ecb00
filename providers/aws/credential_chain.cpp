#include "providers/aws/credential_chain.hpp"

#include "platform/read_file.hpp"
#include "providers/aws/credential_sources.hpp"
#include "providers/aws/sso_protocol.hpp"
#include "providers/http/ask.hpp"
#include "providers/http/metadata.hpp"
#include "providers/settings.hpp"

namespace mcpl {

namespace {

using clock = std::chrono::steady_clock;
using kind = aws_credential_source::kind;

// A token kept in a file (web identity, container authorization), read at each use.
result<std::string> token_from(const std::string& path, const char* what) {
  auto read = read_secret_file(path);
  if (!read) return fail(read.err().code, std::string(what) + ": " + read.err().message);
  std::string token = trim_token(std::move(*read));
  if (token.empty()) return fail(errc::config, std::string(what) + ": " + path + " is empty");
  return token;
}

boost::asio::awaitable<result<aws_credentials>> exchange(
    http_client& http, http_request req, clock::time_point deadline,
    result<aws_credentials> (*parse)(int, const std::string&)) {
  req.deadline = deadline;
  auto res = co_await http.send(std::move(req));
  if (!res) co_return res.err();
  co_return parse(res->status, res->body);
}

boost::asio::awaitable<result<aws_credentials>> from_instance_metadata(
    const std::string& endpoint, http_client& http, const provider_context& ctx) {
  auto deadline = ctx.deadline();
  auto first = co_await ask_metadata_first(
      http, imds_token_request(endpoint), deadline,
      "no AWS credentials: none in the configuration, the environment (AWS_ACCESS_KEY_ID), "
      "the shared files or AWS_PROFILE, no web identity or container credentials",
      "the EC2 instance metadata service at " + endpoint);
  if (!first) co_return first.err();
  auto token = ctx.secret(parse_imds_text(first->status, first->body));
  if (!token) co_return token.err();
  auto role = co_await ask(http, imds_role_request(endpoint, *token), deadline, parse_imds_text);
  if (!role) co_return role.err();
  co_return co_await exchange(http, imds_credentials_request(endpoint, *token, *role), deadline,
                              parse_imds_credentials);
}

// The role's keys for the token `aws sso login` cached, which is read at each use: a new
// login replaces it, and the launcher never writes it.
boost::asio::awaitable<result<aws_credentials>> from_sso(const aws_settings& s, http_client& http,
                                                         const provider_context& ctx) {
  const auto& c = s.credentials;
  auto text = read_secret_file(c.sso_cache_file);
  if (!text && text.err().code == errc::not_found)
    co_return fail(errc::refused, "no IAM Identity Center login for " + c.origin + " (no " +
                                      c.sso_cache_file + "): run `" + c.sso_login + "`");
  if (!text) co_return text.err();
  auto token = parse_sso_cache(*text, c, std::chrono::system_clock::now());
  if (!token) co_return token.err();
  ctx.secret(token->access_token);
  for (const auto& other : token->other_secrets) ctx.secret(other);
  auto got =
      co_await exchange(http, sso_role_credentials_request(s.sso_endpoint, c, token->access_token),
                        ctx.deadline(), parse_sso_role_credentials);
  if (!got && got.err().code == errc::refused)
    co_return fail(errc::refused, got.err().message + ": run `" + c.sso_login + "`");
  co_return got;
}

// The credentials of the source itself, before any role is assumed with them.
boost::asio::awaitable<result<aws_credentials>> from_source(const aws_settings& s,
                                                            http_client& http,
                                                            const provider_context& ctx) {
  const auto& c = s.credentials;
  if (c.how == kind::keys) co_return c.keys;
  if (c.how == kind::sso) co_return co_await from_sso(s, http, ctx);
  if (c.how == kind::instance_metadata)
    co_return co_await from_instance_metadata(c.imds_endpoint, http, ctx);
  // Web identity and container credentials: one request, its answer parsed.
  http_request req;
  auto parse = parse_container_credentials;
  if (c.how == kind::web_identity) {
    auto token = ctx.secret(token_from(c.token_file, "web identity token"));
    if (!token) co_return token.err();
    req = web_identity_request(s, *token, std::chrono::system_clock::now());
    parse = parse_web_identity;
  } else {
    std::string auth = c.auth_token;
    if (!c.auth_token_file.empty()) {
      auto read =
          ctx.secret(token_from(c.auth_token_file, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"));
      if (!read) co_return read.err();
      auth = std::move(*read);
    }
    req = container_credentials_request(c.uri, auth);
  }
  auto got = co_await exchange(http, std::move(req), ctx.deadline(), parse);
  co_return got;
}

}  // namespace

boost::asio::awaitable<result<aws_credentials>> obtain_credentials(const aws_settings& s,
                                                                   http_client& http,
                                                                   const provider_context& ctx) {
  auto creds = co_await from_source(s, http, ctx);
  // Each role is assumed with the credentials before it; each step's keys are secrets too.
  for (const auto& role : s.credentials.roles) {
    if (!creds) break;
    ctx.secret(creds->secret_access_key);
    ctx.secret(creds->session_token);
    auto req = assume_role_request(s, role, *creds, std::chrono::system_clock::now());
    creds = co_await exchange(http, std::move(req), ctx.deadline(), parse_assume_role);
    if (!creds)
      creds = fail(creds.err().code,
                   "assuming " + role.role_arn + " (" + role.origin + "): " + creds.err().message);
  }
  co_return creds;
}

}  // namespace mcpl
