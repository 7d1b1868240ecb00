// Fuzzes what the network hands the launcher: the stores' answers (Vault KV v2 and login,
// Infisical read, list and login, Secrets Manager's single and batch reads, STS, container
// and IMDS credentials, AssumeRole, the SSO portal and token cache, GCP and Key Vault reads,
// OAuth token answers, key and credential files, certificates, the Azure CLI's answer), store
// configurations and AWS's shared files (profiles, role chains, SSO sessions), identifiers, URLs,
// NO_PROXY lists and Retry-After values. The first byte picks the parser, the rest is its input.
// Nothing may crash, and every failure must be an error value with a message.
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "platform/certificate.hpp"
#include "platform/crypto.hpp"
#include "platform/http/proxy.hpp"
#include "platform/http/retry.hpp"
#include "platform/http/url.hpp"
#include "providers/aws/aws_protocol.hpp"
#include "providers/aws/credential_sources.hpp"
#include "providers/aws/sso_protocol.hpp"
#include "providers/azure/azure_credentials.hpp"
#include "providers/azure/azure_protocol.hpp"
#include "providers/gcp/gcp_protocol.hpp"
#include "providers/http/oauth.hpp"
#include "providers/infisical/infisical_protocol.hpp"
#include "providers/vault/vault_protocol.hpp"

namespace {

template <class T>
void check(const mcpl::result<T>& r) {
  if (!r.ok() && r.err().message.empty()) std::abort();
}

const mcpl::vault_settings& vault() {
  static const mcpl::vault_settings s = *mcpl::parse_vault_settings(
      nlohmann::json{{"address", "https://vault.example.com"}, {"token", "t"}}, {});
  return s;
}

const mcpl::infisical_settings& infisical() {
  static const mcpl::infisical_settings s = *mcpl::parse_infisical_settings(
      nlohmann::json{{"accessToken", "t"}, {"projectId", "p"}, {"environment", "e"}}, {});
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  // The statuses the stores tell apart — success, redirect, bad request, refusal, not found,
  // conflict, throttling, server errors — the second byte picking one, so that every branch
  // of every answer parser can be reached (corpus: one entry per parser and branch).
  constexpr int kStatuses[] = {200, 201, 204, 301, 400, 401, 403, 404,
                               409, 412, 429, 500, 502, 503, 504};
  int status = kStatuses[data[1] % std::size(kStatuses)];
  std::string text(reinterpret_cast<const char*>(data) + 2, size - 2);
  switch (data[0] % 21) {
    case 0:
      check(mcpl::parse_kv2_response(status, text, vault(), {"a/b", ""}));
      break;
    case 1:
      check(mcpl::kv2_single_value(text));
      break;
    case 2:
      check(mcpl::parse_vault_login(status, text));
      break;
    case 3:
      check(mcpl::parse_infisical_read(status, text));
      break;
    case 4:
      check(mcpl::parse_infisical_list(status, text));
      break;
    case 5:
      check(mcpl::parse_infisical_login(status, text));
      break;
    case 6: {
      auto j = nlohmann::json::parse(text, nullptr, false);
      if (!j.is_discarded()) {
        check(mcpl::parse_vault_settings(j, {{"HOME", "/h"}}));
        check(mcpl::parse_infisical_settings(j, {}));
      }
      break;
    }
    case 7: {
      auto id = mcpl::parse_kv2_identifier(text);
      check(id);
      if (id) (void)mcpl::kv2_read_request(vault(), *id, "t");
      auto name = mcpl::parse_infisical_identifier(text, infisical());
      check(name);
      if (name) (void)mcpl::infisical_read_request(infisical(), *name, "t");
      break;
    }
    case 8:
      check(mcpl::parse_url(text));
      check(mcpl::check_base_url(text, "address"));
      break;
    case 9: {
      auto target = mcpl::parse_url("https://vault.example.com:8200");
      check(mcpl::choose_proxy(*target, "http://proxy:3128", text));
      check(mcpl::choose_proxy(*target, text, ""));
      break;
    }
    case 10:
      (void)mcpl::parse_retry_after(text, std::chrono::system_clock::now());
      break;
    case 11:
      (void)mcpl::percent_encode(text, data[1] & 1);
      break;
    case 12:
      check(mcpl::parse_get_secret_value(status, text));
      check(mcpl::parse_batch_get_secret_value(status, text,
                                               {"a", "arn:aws:secretsmanager:r:1:secret:a"}));
      (void)mcpl::is_aws_throttling({400, {}, text});
      break;
    case 13:
      check(mcpl::parse_web_identity(status, text));
      check(mcpl::parse_container_credentials(status, text));
      check(mcpl::parse_imds_credentials(status, text));
      check(mcpl::parse_imds_text(status, text));
      check(mcpl::parse_assume_role(status, text));
      check(mcpl::parse_sso_role_credentials(status, text));
      check(mcpl::parse_sso_cache(text, {}, std::chrono::system_clock::now()));
      check(mcpl::parse_azure_cli({status, text, text}, std::chrono::system_clock::now()));
      break;
    case 14: {
      // The shared files as a user writes them, with the profile the second byte picks.
      auto cut = text.find('\x01');
      mcpl::aws_shared_files files{"/c", text.substr(0, cut), "/k",
                                   cut == std::string::npos ? "" : text.substr(cut + 1), "/s"};
      check(mcpl::parse_aws_settings(nlohmann::json::object(),
                                     {{"AWS_PROFILE", data[1] & 1 ? "default" : "dev"}}, files));
      break;
    }
    case 15: {
      auto ref = mcpl::parse_aws_identifier(text);
      check(ref);
      if (ref) {
        mcpl::aws_settings s;
        s.region = "us-east-1";
        s.endpoint = "https://secretsmanager.us-east-1.amazonaws.com";
        (void)mcpl::secrets_manager_request(s, {"AKIA", "k", "", {}}, "GetSecretValue",
                                            mcpl::get_secret_value_body(*ref),
                                            std::chrono::system_clock::now());
      }
      break;
    }
    case 16: {
      auto j = nlohmann::json::parse(text, nullptr, false);
      if (!j.is_discarded()) check(mcpl::parse_aws_settings(j, {{"AWS_REGION", "us-east-1"}}, {}));
      break;
    }
    case 17:
      check(mcpl::parse_gcp_access(status, text));
      check(mcpl::parse_azure_secret(status, text));
      check(mcpl::parse_access_token(status, text, "token endpoint"));
      break;
    case 18:
      check(mcpl::parse_gcp_settings(nlohmann::json::object(),
                                     {{"GOOGLE_APPLICATION_CREDENTIALS", "/k"}},
                                     {"/k", "GOOGLE_APPLICATION_CREDENTIALS", text}));
      check(mcpl::parse_impersonation_answer(status, text, std::chrono::system_clock::now()));
      check(mcpl::parse_gcp_identifier(text));
      check(mcpl::parse_azure_identifier(text));
      break;
    case 19: {
      auto j = nlohmann::json::parse(text, nullptr, false);
      if (!j.is_discarded()) {
        check(mcpl::parse_gcp_settings(j, {}, {}));
        check(mcpl::parse_gcp_credentials(j, "file"));
        check(mcpl::parse_azure_settings(j, {{"AZURE_TENANT_ID", "t"}}));
      }
      break;
    }
    case 20:
      check(mcpl::rs256_sign(text, "data"));
      check(mcpl::ps256_sign(text, "data"));
      check(mcpl::read_client_certificate(text, data[1] & 1 ? "" : "pw"));
      break;
  }
  return 0;
}
