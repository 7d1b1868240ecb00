#include "providers/azure/azure_protocol.hpp"

#include <nlohmann/json.hpp>

#include "platform/http/url.hpp"
#include "providers/http/http_errors.hpp"
#include "providers/settings.hpp"

namespace mcpl {

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// A client certificate, after a client secret in DefaultAzureCredential's order: the
// configuration's PEM, or AZURE_CLIENT_CERTIFICATE_PATH's file (read by the caller).
result<bool> choose_certificate(const nlohmann::json& configuration, const environment& env,
                                azure_settings& s) {
  auto pem = setting(configuration, "clientCertificate", env);
  if (!pem) return pem.err();
  auto password = setting(configuration, "clientCertificatePassword", env,
                          "AZURE_CLIENT_CERTIFICATE_PASSWORD", &s.consumed_env);
  if (!password) return password.err();
  s.certificate_pem = *pem;
  s.certificate_password = *password;
  if (s.certificate_pem.empty()) {
    s.certificate_path = env_value(env, "AZURE_CLIENT_CERTIFICATE_PATH");
    if (!s.certificate_path.empty()) s.consumed_env.push_back("AZURE_CLIENT_CERTIFICATE_PATH");
  }
  return !s.certificate_pem.empty() || !s.certificate_path.empty();
}

}  // namespace

std::string key_vault_resource(const std::string& vault_host) {
  for (const char* cloud : {"vault.azure.cn", "vault.usgovcloudapi.net", "vault.microsoftazure.de"})
    if (ends_with(vault_host, std::string(".") + cloud)) return std::string("https://") + cloud;
  return "https://vault.azure.net";
}

bool is_key_vault_host(const std::string& host) {
  static const char* const kDomains[] = {"vault.azure.net",
                                         "vault.azure.cn",
                                         "vault.usgovcloudapi.net",
                                         "vault.microsoftazure.de",
                                         "managedhsm.azure.net",
                                         "managedhsm.azure.cn",
                                         "managedhsm.usgovcloudapi.net"};
  std::string h = host;
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::any_of(std::begin(kDomains), std::end(kDomains),
                     [&](const char* d) { return ends_with(h, std::string(".") + d); });
}

result<azure_settings> parse_azure_settings(const nlohmann::json& configuration,
                                            const environment& env) {
  azure_settings s;
  auto vault = setting(configuration, "vaultUrl", env);
  if (!vault) return vault.err();
  if (vault->empty())
    return fail(errc::config, "configuration.vaultUrl is required (https://NAME.vault.azure.net)");
  auto checked = check_base_url(*vault, "configuration.vaultUrl");
  if (!checked) return checked.err();
  s.vault_url = *checked;
  std::string host = parse_url(s.vault_url)->host;
  // A Key Vault token opens every vault the identity may read: it goes to a Key Vault
  // host, a test double on loopback, or a host the user vouched for (a private name).
  bool trusted = false;
  if (auto t = configuration.find("trustVaultHost"); t != configuration.end()) {
    if (!t->is_boolean())
      return fail(errc::config, "configuration.trustVaultHost must be true or false");
    trusted = t->get<bool>();
  }
  if (!trusted && !is_key_vault_host(host) && !is_loopback_host(host))
    return fail(errc::config,
                "configuration.vaultUrl: " + host +
                    " is not a Key Vault host (*.vault.azure.net, *.vault.azure.cn, "
                    "*.vault.usgovcloudapi.net, *.vault.microsoftazure.de, a managed HSM), and a "
                    "Key Vault token would be sent to it; set \"trustVaultHost\": true if it is "
                    "your vault under another name");
  s.resource = key_vault_resource(host);
  auto authority = setting(configuration, "authorityHost", env, "AZURE_AUTHORITY_HOST");
  if (!authority) return authority.err();
  auto authority_url = check_base_url(
      authority->empty() ? "https://login.microsoftonline.com" : *authority, "authorityHost");
  if (!authority_url) return authority_url.err();
  s.authority_host = *authority_url;
  for (auto [field, variable, out] : {std::tuple{"caFile", (const char*)nullptr, &s.ca_file},
                                      std::tuple{"tenantId", "AZURE_TENANT_ID", &s.tenant_id},
                                      std::tuple{"clientId", "AZURE_CLIENT_ID", &s.client_id}}) {
    auto value = setting(configuration, field, env, variable);
    if (!value) return value.err();
    *out = *value;
  }
  auto secret = setting(configuration, "clientSecret", env, "AZURE_CLIENT_SECRET", &s.consumed_env);
  if (!secret) return secret.err();
  s.client_secret = *secret;
  auto certificate = choose_certificate(configuration, env, s);
  if (!certificate) return certificate.err();
  s.federated_token_file = env_value(env, "AZURE_FEDERATED_TOKEN_FILE");

  if (!s.client_secret.empty() || *certificate || !s.federated_token_file.empty()) {
    s.how = !s.client_secret.empty() ? azure_settings::kind::client_secret
            : *certificate           ? azure_settings::kind::client_certificate
                                     : azure_settings::kind::workload_identity;
    s.origin = s.how == azure_settings::kind::client_secret        ? "a client secret"
               : s.how == azure_settings::kind::client_certificate ? "a client certificate"
                                                                   : "workload identity";
    if (s.tenant_id.empty() || s.client_id.empty())
      return fail(errc::config, s.origin +
                                    " needs tenantId and clientId (or AZURE_TENANT_ID and "
                                    "AZURE_CLIENT_ID)");
    if (!is_plain_name(s.tenant_id, "-."))
      return fail(errc::config, "tenantId must be a directory ID or domain");
    return s;
  }
  s.identity_endpoint = env_value(env, "IDENTITY_ENDPOINT");
  s.identity_header = env_value(env, "IDENTITY_HEADER");
  if (!s.identity_endpoint.empty() && !s.identity_header.empty()) {
    s.how = azure_settings::kind::app_service;
    s.origin = "managed identity (IDENTITY_ENDPOINT)";
    auto parsed = parse_url(s.identity_endpoint);
    if (!parsed) return fail(errc::config, "IDENTITY_ENDPOINT: " + parsed.err().message);
    s.consumed_env.push_back("IDENTITY_HEADER");
    return s;
  }
  s.how = azure_settings::kind::instance_metadata;
  s.origin = "managed identity (IMDS), else the Azure CLI's login";
  // AZURE_POD_IDENTITY_AUTHORITY_HOST is the Azure SDKs' name for another IMDS address.
  s.imds_endpoint = env_value(env, "AZURE_POD_IDENTITY_AUTHORITY_HOST");
  if (s.imds_endpoint.empty()) s.imds_endpoint = "http://169.254.169.254";
  auto imds = parse_url(s.imds_endpoint);
  if (!imds || imds->target.find('?') != std::string::npos ||
      (imds->scheme == "http" && !is_loopback_host(imds->host) && !is_metadata_host(imds->host)))
    return fail(errc::config, "AZURE_POD_IDENTITY_AUTHORITY_HOST is not a usable base URL");
  while (s.imds_endpoint.back() == '/') s.imds_endpoint.pop_back();
  return s;
}

result<azure_secret> parse_azure_identifier(const std::string& identifier) {
  azure_secret out;
  auto slash = identifier.find('/');
  out.name = identifier.substr(0, slash);
  if (slash != std::string::npos) out.version = identifier.substr(slash + 1);
  if (!is_plain_name(out.name, "-") || out.name.size() > 127 ||
      (slash != std::string::npos && !is_plain_name(out.version, "")))
    return fail(errc::config, "'" + identifier +
                                  "': a Key Vault secret is NAME (letters, digits, '-') or "
                                  "NAME/VERSION");
  return out;
}

http_request azure_secret_request(const azure_settings& s, const azure_secret& secret,
                                  const std::string& token) {
  http_request req;
  req.url = s.vault_url + "/secrets/" + percent_encode(secret.name) +
            (secret.version.empty() ? "" : "/" + percent_encode(secret.version)) +
            "?api-version=7.4";
  req.headers = {{"Authorization", "Bearer " + token}};
  return req;
}

result<std::string> parse_azure_secret(int status, const std::string& body) {
  if (status != 200) return api_error_failure(status, body, "code");
  auto j = parse_json(body);
  auto value = j ? string_field(*j, "value") : std::nullopt;
  if (!value) return fail(errc::unavailable, "the answer has no value");
  return std::move(*value);
}

http_request entra_token_request(const azure_settings& s, const std::string& assertion) {
  std::vector<std::pair<std::string, std::string>> form = {{"grant_type", "client_credentials"},
                                                           {"client_id", s.client_id},
                                                           {"scope", s.resource + "/.default"}};
  if (s.how == azure_settings::kind::workload_identity ||
      s.how == azure_settings::kind::client_certificate) {
    form.emplace_back("client_assertion_type",
                      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form.emplace_back("client_assertion", assertion);
  } else {
    form.emplace_back("client_secret", s.client_secret);
  }
  http_request req;
  req.method = "POST";
  req.url = s.authority_host + "/" + percent_encode(s.tenant_id) + "/oauth2/v2.0/token";
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  req.body = form_body(form);
  return req;
}

http_request managed_identity_request(const azure_settings& s) {
  std::vector<std::pair<std::string, std::string>> query = {{"resource", s.resource}};
  if (!s.client_id.empty()) query.emplace_back("client_id", s.client_id);  // user-assigned
  http_request req;
  if (s.how == azure_settings::kind::app_service) {
    query.insert(query.begin(), {"api-version", "2019-08-01"});
    req.url = s.identity_endpoint + query_string(query);
    req.headers = {{"X-IDENTITY-HEADER", s.identity_header}};
  } else {
    query.insert(query.begin(), {"api-version", "2018-02-01"});
    req.url = s.imds_endpoint + "/metadata/identity/oauth2/token" + query_string(query);
    req.headers = {{"Metadata", "true"}};
  }
  return req;
}

}  // namespace mcpl
