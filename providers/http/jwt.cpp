#include "providers/http/jwt.hpp"

#include <nlohmann/json.hpp>

#include "platform/crypto.hpp"
#include "providers/http/http_errors.hpp"

namespace mcpl {

result<std::string> signed_jwt(const nlohmann::json& header, const nlohmann::json& claims,
                               std::string_view pem_key) {
  std::string alg = header.value("alg", "");
  std::string signing_input =
      base64url_encode(request_body(header)) + "." + base64url_encode(request_body(claims));
  auto signature = alg == "RS256"   ? rs256_sign(pem_key, signing_input)
                   : alg == "PS256" ? ps256_sign(pem_key, signing_input)
                   : alg == "ES256"
                       ? es256_sign(pem_key, signing_input)
                       : result<std::string>(fail(errc::internal, "no signer for " + alg));
  if (!signature) return signature.err();
  return signing_input + "." + base64url_encode(*signature);
}

}  // namespace mcpl
