// Two Azure credentials beyond a client secret, as pure functions: the signed client
// assertion of a certificate credential (Microsoft identity platform's certificate
// credentials: PS256 with the SHA-256 thumbprint), and the Azure CLI's
// `az account get-access-token` — the command line and what its output means. No I/O here.
#pragma once

#include <chrono>
#include <string>

#include "core/result.hpp"
#include "platform/certificate.hpp"
#include "platform/process.hpp"
#include "platform/run_program.hpp"
#include "providers/azure/azure_protocol.hpp"
#include "providers/http/oauth.hpp"

namespace mcpl {

/// The client assertion JWT: header {alg PS256, typ JWT, x5t#S256}, claims {aud: the token
/// endpoint, iss = sub = the client ID, jti `jti`, nbf = iat = `now`, exp ten minutes on},
/// signed with the certificate's key.
result<std::string> entra_certificate_assertion(const azure_settings& s,
                                                const client_certificate& cert,
                                                std::chrono::system_clock::time_point now,
                                                const std::string& jti);

/// The Azure CLI, looked up on PATH: after managed identity finds none, its login, as
/// DefaultAzureCredential goes on to it.
constexpr const char* azure_cli = "az";

/// `az account get-access-token --output json --resource R [--tenant T]`, run without a
/// shell with the launcher's environment (the CLI finds its login under HOME or
/// AZURE_CONFIG_DIR) and PATH.
exec_request azure_cli_request(const azure_settings& s, const environment& env);

/// The token of the CLI's answer and its lifetime from `now` (`expires_on`, seconds since
/// the epoch; the older `expiresOn` in local time); or what its failure means: not logged in
/// (errc::refused, "run `az login`"), anything else with the first line it wrote to stderr.
/// Its standard output is never quoted.
result<token_answer> parse_azure_cli(const program_output& out,
                                     std::chrono::system_clock::time_point now);

}  // namespace mcpl
