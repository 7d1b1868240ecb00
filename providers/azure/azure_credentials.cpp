#include "providers/azure/azure_credentials.hpp"

#include <sys/wait.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "platform/crypto.hpp"
#include "platform/http/url.hpp"
#include "providers/http/http_errors.hpp"
#include "providers/http/jwt.hpp"
#include "providers/settings.hpp"

namespace mcpl {

namespace {

using json = nlohmann::json;

// The first line of `text`, without control characters, at most 200 characters.
std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  std::erase_if(line, [](unsigned char c) { return c < 0x20 || c == 0x7f; });
  return line.substr(0, 200);
}

}  // namespace

result<std::string> entra_certificate_assertion(const azure_settings& s,
                                                const client_certificate& cert,
                                                std::chrono::system_clock::time_point now,
                                                const std::string& jti) {
  auto t = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  json header = {{"alg", "PS256"},
                 {"typ", "JWT"},
                 {"x5t#S256", base64url_encode(sha256(cert.certificate_der))}};
  json claims = {{"aud", s.authority_host + "/" + s.tenant_id + "/oauth2/v2.0/token"},
                 {"iss", s.client_id},
                 {"sub", s.client_id},
                 {"jti", jti},
                 {"nbf", t},
                 {"iat", t},
                 {"exp", t + 600}};
  auto jwt = signed_jwt(header, claims, cert.private_key_pem);
  if (!jwt) return fail(jwt.err().code, "the client certificate: " + jwt.err().message);
  return jwt;
}

exec_request azure_cli_request(const azure_settings& s, const environment& env) {
  exec_request req;
  req.argv = {azure_cli, "account",    "get-access-token", "--output",
              "json",    "--resource", s.resource};
  if (!s.tenant_id.empty()) req.argv.insert(req.argv.end(), {"--tenant", s.tenant_id});
  for (const auto& [name, value] : env) req.envp.push_back(name + "=" + value);
  req.search_path = env_value(env, "PATH");
  return req;
}

result<token_answer> parse_azure_cli(const program_output& out,
                                     std::chrono::system_clock::time_point now) {
  if (!WIFEXITED(out.status) || WEXITSTATUS(out.status) != 0) {
    std::string said = first_line(out.err);
    // The CLI says "Please run 'az login' to setup account." (or names `az login` in an
    // expired refresh token's AADSTS message).
    if (out.err.find("az login") != std::string::npos)
      return fail(errc::refused, "the Azure CLI is not logged in (" + said + "): run `az login`");
    return fail(errc::unavailable, "the Azure CLI failed: " + (said.empty() ? "no message" : said));
  }
  auto j = parse_json(out.out);
  auto token = j ? string_field(*j, "accessToken") : std::nullopt;
  if (!token || token->empty())
    return fail(errc::unavailable, "the Azure CLI's answer has no accessToken");
  token_answer answer{std::move(*token), std::nullopt};
  // Seconds since the epoch (`expires_on`), else the older local time (`expiresOn`).
  std::int64_t when = 0;
  if (auto e = j->find("expires_on"); e != j->end() && e->is_number_integer()) {
    when = e->get<std::int64_t>();
  } else if (auto local = string_field(*j, "expiresOn")) {
    std::tm tm{};
    if (strptime(local->c_str(), "%Y-%m-%d %H:%M:%S", &tm) && tm.tm_year >= 70 &&
        tm.tm_year < 300) {
      tm.tm_isdst = -1;
      when = std::mktime(&tm);
    }
  }
  if (auto expires = unix_time(when, 1))
    answer.lifetime = std::max<std::chrono::system_clock::duration>(*expires - now, {});
  return answer;
}

}  // namespace mcpl
