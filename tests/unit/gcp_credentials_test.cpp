// Google's credential files as google-auth reads them: where Application Default Credentials
// are looked for, authorized_user and impersonated_service_account files, the store's own
// impersonation, and the refresh-token and generateAccessToken exchanges.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "providers/gcp/gcp_protocol.hpp"
#include "tests/support/form.hpp"

namespace mcpl {
namespace {

using json = nlohmann::json;
using gcp_kind = gcp_credential::kind;

const json kUser = {{"type", "authorized_user"},
                    {"client_id", "764086051850-x.apps.googleusercontent.com"},
                    {"client_secret", "d-FL95Q19q7MQmFpd7hHD0Ty"},
                    {"refresh_token", "1//0refresh"},
                    {"quota_project_id", "billing-1"}};

result<gcp_settings> from_adc(const json& file, const json& configuration = json::object()) {
  return parse_gcp_settings(
      configuration, {{"HOME", "/h"}},
      {"/h/.config/gcloud/application_default_credentials.json", nullptr, file.dump()});
}

TEST(GcpAdc, WhereTheFileIsLookedFor) {
  auto gac = gcp_adc_file_path(
      {{"GOOGLE_APPLICATION_CREDENTIALS", "/k.json"}, {"CLOUDSDK_CONFIG", "/c"}, {"HOME", "/h"}});
  EXPECT_EQ(gac.path, "/k.json") << "the variable goes first";
  EXPECT_STREQ(gac.variable, "GOOGLE_APPLICATION_CREDENTIALS");
  auto sdk = gcp_adc_file_path({{"CLOUDSDK_CONFIG", "/c"}, {"HOME", "/h"}});
  EXPECT_EQ(sdk.path, "/c/application_default_credentials.json");
  EXPECT_EQ(sdk.variable, nullptr);
  EXPECT_EQ(gcp_adc_file_path({{"HOME", "/h"}}).path,
            "/h/.config/gcloud/application_default_credentials.json");
  EXPECT_EQ(gcp_adc_file_path({}).path, "");
  // No well-known file: the metadata server.
  auto none =
      parse_gcp_settings(json::object(), {{"HOME", "/h"}},
                         {"/h/.config/gcloud/application_default_credentials.json", nullptr, ""});
  EXPECT_EQ(none->source.how, gcp_kind::metadata);
}

TEST(GcpAdc, AuthorizedUser) {
  auto s = from_adc(kUser, {{"projectId", "proj-1"}});
  ASSERT_TRUE(s) << s.err().message;
  EXPECT_EQ(s->source.how, gcp_kind::authorized_user);
  EXPECT_EQ(s->source.origin,
            "the gcloud ADC file /h/.config/gcloud/application_default_credentials.json");
  EXPECT_EQ(s->source.user.token_uri, "https://oauth2.googleapis.com/token");
  EXPECT_EQ(s->quota_project, "billing-1");
  EXPECT_TRUE(s->consumed_env.empty());
  auto req = gcp_refresh_request(s->source.user);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "https://oauth2.googleapis.com/token");
  EXPECT_EQ(test::form_fields(req.body),
            (std::map<std::string, std::string>{
                {"grant_type", "refresh_token"},
                {"client_id", "764086051850-x.apps.googleusercontent.com"},
                {"client_secret", "d-FL95Q19q7MQmFpd7hHD0Ty"},
                {"refresh_token", "1//0refresh"}}));
  auto access = gcp_access_request(*s, {"", "db", "latest"}, "proj-1", "ya29.t");
  EXPECT_EQ(access.headers, (http_headers{{"Authorization", "Bearer ya29.t"},
                                          {"x-goog-user-project", "billing-1"}}));

  json no_refresh = kUser;
  no_refresh.erase("refresh_token");
  EXPECT_NE(
      from_adc(no_refresh).err().message.find("needs client_id, client_secret and refresh_token"),
      std::string::npos);
  json bad_quota = kUser;
  bad_quota["quota_project_id"] = "p\r\nX-Injected: 1";
  EXPECT_FALSE(from_adc(bad_quota)) << "the quota project goes into a header";
  json plain_http = kUser;
  plain_http["token_uri"] = "http://token.example.com/token";
  EXPECT_FALSE(from_adc(plain_http)) << "a refresh token goes over https only (or to loopback)";
}

TEST(GcpAdc, ImpersonatedServiceAccount) {
  json file = {{"type", "impersonated_service_account"},
               {"service_account_impersonation_url",
                "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
                "reader@proj-1.iam.gserviceaccount.com:generateAccessToken"},
               {"delegates",
                {"hop@proj-1.iam.gserviceaccount.com",
                 "projects/-/serviceAccounts/hop2@proj-1.iam.gserviceaccount.com"}},
               {"source_credentials", kUser}};
  auto s = from_adc(file);
  ASSERT_TRUE(s) << s.err().message;
  EXPECT_EQ(s->source.how, gcp_kind::authorized_user);
  ASSERT_EQ(s->impersonations.size(), 1u);
  EXPECT_EQ(
      s->impersonations[0].delegates,
      (std::vector<std::string>{"projects/-/serviceAccounts/hop@proj-1.iam.gserviceaccount.com",
                                "projects/-/serviceAccounts/hop2@proj-1.iam.gserviceaccount.com"}));
  auto req = gcp_impersonation_request(s->impersonations[0], "ya29.source");
  EXPECT_EQ(req.url, file["service_account_impersonation_url"]);
  EXPECT_EQ(req.headers[0],
            (std::pair<std::string, std::string>{"Authorization", "Bearer ya29.source"}));
  EXPECT_EQ(json::parse(req.body),
            (json{{"scope", {"https://www.googleapis.com/auth/cloud-platform"}},
                  {"lifetime", "3600s"},
                  {"delegates", s->impersonations[0].delegates}}));

  // The store's own impersonation goes after the file's.
  auto twice = from_adc(file, {{"impersonateServiceAccount", "app@proj-2.iam.gserviceaccount.com"},
                               {"iamCredentialsEndpoint", "https://127.0.0.1:8443"}});
  ASSERT_EQ(twice->impersonations.size(), 2u);
  EXPECT_EQ(twice->impersonations[1].url,
            "https://127.0.0.1:8443/v1/projects/-/serviceAccounts/"
            "app@proj-2.iam.gserviceaccount.com:generateAccessToken");
  EXPECT_FALSE(from_adc(kUser, {{"impersonateServiceAccount", "app/../x"}}));

  json nested = file;
  nested["source_credentials"] = {{"type", "impersonated_service_account"}};
  EXPECT_FALSE(from_adc(nested));
  json wrong_url = file;
  wrong_url["service_account_impersonation_url"] = "https://evil.example.com/token";
  EXPECT_FALSE(from_adc(wrong_url));

  auto now = std::chrono::system_clock::from_time_t(1796061600);  // 2026-11-30T18:00:00Z
  auto answer = parse_impersonation_answer(
      200, R"({"accessToken":"ya29.imp","expireTime":"2026-11-30T19:00:00.5Z"})", now);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->value, "ya29.imp");
  EXPECT_EQ(answer->lifetime, std::chrono::seconds(3600));
  auto denied = parse_impersonation_answer(
      403,
      R"({"error":{"code":403,"message":"Permission 'iam.serviceAccounts.getAccessToken' denied","status":"PERMISSION_DENIED"}})",
      now);
  EXPECT_EQ(denied.err().code, errc::refused);
  EXPECT_EQ(parse_impersonation_answer(200, "{}", now).err().code, errc::unavailable);
}

}  // namespace
}  // namespace mcpl
