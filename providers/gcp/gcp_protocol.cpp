#include "providers/gcp/gcp_protocol.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "platform/crypto.hpp"
#include "platform/http/url.hpp"
#include "providers/http/http_errors.hpp"
#include "providers/http/jwt.hpp"
#include "providers/settings.hpp"

namespace mcpl {

namespace {

using json = nlohmann::json;

}  // namespace

gcp_adc_file gcp_adc_file_path(const environment& env) {
  if (std::string path = env_value(env, "GOOGLE_APPLICATION_CREDENTIALS"); !path.empty())
    return {path, "GOOGLE_APPLICATION_CREDENTIALS", ""};
  std::string dir = env_value(env, "CLOUDSDK_CONFIG");
  if (dir.empty() && !env_value(env, "HOME").empty())
    dir = env_value(env, "HOME") + "/.config/gcloud";
  if (dir.empty()) return {"", nullptr, ""};
  return {dir + "/application_default_credentials.json", nullptr, ""};
}

result<gcp_settings> parse_gcp_settings(const json& configuration, const environment& env,
                                        const gcp_adc_file& adc) {
  gcp_settings s;
  auto project = setting(configuration, "projectId", env);
  if (!project) return project.err();
  s.project_id = *project;
  auto endpoint = setting(configuration, "endpoint", env);
  if (!endpoint) return endpoint.err();
  auto base = check_base_url(endpoint->empty() ? "https://secretmanager.googleapis.com" : *endpoint,
                             "configuration.endpoint");
  if (!base) return base.err();
  s.endpoint = *base;
  auto ca = setting(configuration, "caFile", env);
  if (!ca) return ca.err();
  s.ca_file = *ca;

  gcp_credentials_file file;
  file.source.origin = "the metadata server";
  if (auto it = configuration.find("serviceAccountKey"); it != configuration.end()) {
    // A string holds the key file's text (a reference to a secret or a file gives one).
    json key = it->is_string() ? json::parse(it->get<std::string>(), nullptr, false) : *it;
    if (key.is_discarded())
      return fail(errc::config, "configuration.serviceAccountKey is not JSON");
    auto read = parse_gcp_credentials(key, "configuration.serviceAccountKey");
    if (!read) return read.err();
    file = std::move(*read);
  } else if (!adc.text.empty() || adc.variable) {
    std::string origin =
        adc.variable ? adc.path + " (" + adc.variable + ")" : "the gcloud ADC file " + adc.path;
    auto read = parse_gcp_credentials(json::parse(adc.text, nullptr, false), origin);
    if (!read) return read.err();
    file = std::move(*read);
    if (adc.variable) s.consumed_env.push_back(adc.variable);
  }
  s.source = std::move(file.source);
  s.impersonations = std::move(file.impersonations);
  s.quota_project = std::move(file.quota_project);
  if (!s.quota_project.empty() && !is_plain_name(s.quota_project, "-.:"))
    return fail(errc::config, "quota_project_id '" + s.quota_project + "' is not a project ID");
  // A service account impersonated on top of whatever the chain found.
  auto impersonate = setting(configuration, "impersonateServiceAccount", env);
  if (!impersonate) return impersonate.err();
  auto iam = setting(configuration, "iamCredentialsEndpoint", env);
  if (!iam) return iam.err();
  auto iam_base = check_base_url(iam->empty() ? "https://iamcredentials.googleapis.com" : *iam,
                                 "configuration.iamCredentialsEndpoint");
  if (!iam_base) return iam_base.err();
  if (!impersonate->empty()) {
    if (!is_plain_name(*impersonate, "@.-_") || impersonate->find('@') == std::string::npos)
      return fail(errc::config,
                  "configuration.impersonateServiceAccount must be a service account's email");
    s.impersonations.push_back(
        gcp_impersonate(*iam_base, *impersonate, "configuration.impersonateServiceAccount"));
  }

  if (s.project_id.empty()) s.project_id = s.source.key.project_id;
  if (!s.project_id.empty() && !is_plain_name(s.project_id, "-.:"))
    return fail(errc::config, "projectId '" + s.project_id + "' is not a project ID");

  std::string host = env_value(env, "GCE_METADATA_HOST");
  // The address, not the name metadata.google.internal: off Google Cloud a DNS answer from
  // the network (a search-domain wildcard) would be trusted with the token and project.
  s.metadata_url = "http://" + (host.empty() ? "169.254.169.254" : host);
  if (auto parsed = parse_url(s.metadata_url); !parsed || parsed->target != "/")
    return fail(errc::config, "GCE_METADATA_HOST must be a host with an optional port");
  return s;
}

result<gcp_secret> parse_gcp_identifier(const std::string& identifier) {
  gcp_secret out;
  auto bad = [&] {
    return fail(errc::config, "'" + identifier +
                                  "': a secret is S, projects/P/secrets/S or "
                                  "projects/P/secrets/S/versions/V");
  };
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    auto slash = identifier.find('/', start);
    parts.push_back(identifier.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (parts.size() == 1) {
    out.secret = parts[0];
  } else if ((parts.size() == 4 || parts.size() == 6) && parts[0] == "projects" &&
             parts[2] == "secrets" && (parts.size() == 4 || parts[4] == "versions")) {
    out.project = parts[1];
    out.secret = parts[3];
    if (parts.size() == 6) out.version = parts[5];
    if (!is_plain_name(out.project, "-.:")) return bad();
  } else {
    return bad();
  }
  if (!is_plain_name(out.secret, "_-") || !is_plain_name(out.version, "_-")) return bad();
  return out;
}

http_request gcp_access_request(const gcp_settings& s, const gcp_secret& secret,
                                const std::string& project, const std::string& token) {
  http_request req;
  req.url = s.endpoint + "/v1/projects/" + percent_encode(project) + "/secrets/" +
            percent_encode(secret.secret) + "/versions/" + percent_encode(secret.version) +
            ":access";
  req.headers = {{"Authorization", "Bearer " + token}};
  if (!s.quota_project.empty()) req.headers.emplace_back("x-goog-user-project", s.quota_project);
  return req;
}

result<std::string> parse_gcp_access(int status, const std::string& body) {
  if (status != 200) return api_error_failure(status, body, "status");
  auto j = parse_json(body);
  const json* payload = j && j->is_object() && j->contains("payload") ? &(*j)["payload"] : nullptr;
  auto data = payload ? string_field(*payload, "data") : std::nullopt;
  if (!data) return fail(errc::unavailable, "the answer has no payload.data");
  auto bytes = base64_decode(*data);
  if (!bytes) return fail(errc::unavailable, "payload.data is not base64");
  if (auto crc = string_field(*payload, "dataCrc32c")) {
    if (crc->empty() || crc->size() > 10 || !std::all_of(crc->begin(), crc->end(), ::isdigit) ||
        std::stoull(*crc) != crc32c(*bytes))
      return fail(errc::unavailable, "the payload does not match its CRC32C: damaged in transit");
  }
  return std::move(*bytes);
}

result<std::string> gcp_assertion(const gcp_service_account& key,
                                  std::chrono::system_clock::time_point now) {
  auto iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (!key.private_key_id.empty()) header["kid"] = key.private_key_id;
  json claims = {{"iss", key.client_email},
                 {"scope", "https://www.googleapis.com/auth/cloud-platform"},
                 {"aud", key.token_uri},
                 {"iat", iat},
                 {"exp", iat + 3600}};
  auto jwt = signed_jwt(header, claims, key.private_key);
  if (!jwt) return fail(jwt.err().code, "the service account key: " + jwt.err().message);
  return jwt;
}

http_request gcp_token_request(const gcp_service_account& key, const std::string& assertion) {
  http_request req;
  req.method = "POST";
  req.url = key.token_uri;
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  req.body = form_body(
      {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}, {"assertion", assertion}});
  return req;
}

http_request gcp_metadata_token_request(const std::string& metadata_url) {
  http_request req;
  req.url = metadata_url + "/computeMetadata/v1/instance/service-accounts/default/token";
  req.headers = {{"Metadata-Flavor", "Google"}};
  return req;
}

http_request gcp_metadata_project_request(const std::string& metadata_url) {
  http_request req = gcp_metadata_token_request(metadata_url);
  req.url = metadata_url + "/computeMetadata/v1/project/project-id";
  return req;
}

}  // namespace mcpl
