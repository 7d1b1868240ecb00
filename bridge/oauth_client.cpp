#include "bridge/oauth_client.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "platform/crypto.hpp"
#include "platform/http/url.hpp"
#include "providers/http/jwt.hpp"

namespace mcpl {

namespace {

bool lists(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

result<std::string> choose_auth_method(const client_credentials& c, const authorization_server& as) {
  const auto& methods = as.auth_methods;
  if (!c.private_key.empty()) {
    if (!methods.empty() && !lists(methods, "private_key_jwt"))
      return fail(errc::config, "the authorization server does not take private_key_jwt "
                                "client authentication; give \"clientSecret\" instead");
    return std::string("private_key_jwt");
  }
  if (methods.empty() || lists(methods, "client_secret_basic"))
    return std::string("client_secret_basic");
  if (lists(methods, "client_secret_post")) return std::string("client_secret_post");
  return fail(errc::config, "the authorization server takes neither client_secret_basic nor "
                            "client_secret_post client authentication");
}

result<std::string> client_assertion(const client_credentials& c, const std::string& issuer,
                                     std::chrono::system_clock::time_point now) {
  std::string alg = c.signing_algorithm;
  if (alg.empty()) {
    auto own = jwt_algorithm(c.private_key);
    if (!own) return fail(errc::config, "oauth.privateKey: " + own.err().message);
    alg = *own;
  }
  auto iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  nlohmann::json header = {{"alg", alg}, {"typ", "JWT"}};
  nlohmann::json claims = {{"iss", c.client_id}, {"sub", c.client_id}, {"aud", issuer},
                           {"iat", iat},         {"exp", iat + 300},   {"jti", hex(random_bytes(16))}};
  auto jwt = signed_jwt(header, claims, c.private_key);
  if (!jwt) return fail(jwt.err().code, "oauth.privateKey: " + jwt.err().message);
  return jwt;
}

result<http_request> token_request(const client_credentials& c, const authorization_server& as,
                                   const std::string& resource,
                                   const std::vector<std::string>& scopes,
                                   std::chrono::system_clock::time_point now) {
  auto method = choose_auth_method(c, as);
  if (!method) return method.err();
  std::vector<std::pair<std::string, std::string>> form = {{"grant_type", "client_credentials"},
                                                           {"resource", resource}};
  if (!scopes.empty()) {
    std::string scope;
    for (const auto& s : scopes) scope += (scope.empty() ? "" : " ") + s;
    form.emplace_back("scope", scope);
  }
  http_request req;
  req.method = "POST";
  req.url = as.token_endpoint;
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                 {"Accept", "application/json"}};
  if (*method == "private_key_jwt") {
    auto assertion = client_assertion(c, as.issuer, now);
    if (!assertion) return assertion.err();
    form.emplace_back("client_id", c.client_id);
    form.emplace_back("client_assertion_type",
                      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form.emplace_back("client_assertion", *assertion);
  } else if (*method == "client_secret_post") {
    form.emplace_back("client_id", c.client_id);
    form.emplace_back("client_secret", c.client_secret);
  } else {  // RFC 6749 §2.3.1: each part form-encoded, then joined and base64-encoded
    req.headers.emplace_back("Authorization", "Basic " + base64_encode(percent_encode(c.client_id) + ":" +
                                                                percent_encode(c.client_secret)));
  }
  req.body = form_body(form);
  return req;
}

}  // namespace mcpl
