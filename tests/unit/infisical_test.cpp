// Infisical's wire protocol as pure functions, with answers shaped as Infisical sends them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/quoted.hpp"
#include "providers/http/http_errors.hpp"
#include "providers/infisical/infisical_protocol.hpp"

namespace mcpl {
namespace {

using json = nlohmann::json;

const char* read_answer = R"({"secret": {"id": "6f1c", "_id": "6f1c", "workspace": "proj-1",
  "environment": "prod", "version": 2, "type": "shared", "secretKey": "API_KEY",
  "secretValue": "k-123", "secretComment": "", "secretPath": "/",
  "secretReminderNote": null, "secretReminderRepeatDays": null, "skipMultilineEncoding": false,
  "createdAt": "2026-11-01T00:00:00.000Z", "updatedAt": "2026-11-01T00:00:00.000Z", "tags": []}})";

const char* list_answer = R"({"secrets": [
  {"secretKey": "A", "secretValue": "shared-a", "type": "shared", "version": 1},
  {"secretKey": "A", "secretValue": "personal-a", "type": "personal", "version": 1},
  {"secretKey": "B", "secretValue": "b", "version": 4}],
  "imports": [{"secretPath": "/shared", "environment": "prod", "folderId": "f",
               "secrets": [{"secretKey": "C", "secretValue": "imported"}]}]})";

infisical_settings settings() {
  return *parse_infisical_settings(
      json{{"accessToken", "st.tok"}, {"projectId", "proj-1"}, {"environment", "prod"}}, {});
}

TEST(InfisicalSettings, Credentials) {
  auto s = settings();
  EXPECT_EQ(s.site_url, "https://app.infisical.com");
  EXPECT_EQ(s.secret_path, "/");
  EXPECT_EQ(s.access_token, "st.tok");

  environment env = {{"INFISICAL_UNIVERSAL_AUTH_CLIENT_ID", "cid"},
                     {"INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", "csecret"}};
  auto ua = parse_infisical_settings(json{{"siteUrl", "https://eu.infisical.com/"},
                                          {"projectId", "p"},
                                          {"environment", "dev"},
                                          {"secretPath", "mcp/"}},
                                     env);
  ASSERT_TRUE(ua.ok()) << ua.err().message;
  EXPECT_EQ(ua->site_url, "https://eu.infisical.com");
  EXPECT_EQ(ua->secret_path, "/mcp");
  EXPECT_EQ(ua->client_id, "cid");
  EXPECT_EQ(ua->client_secret, "csecret");
  EXPECT_EQ(ua->consumed_env, std::vector<std::string>{"INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET"});

  auto token_env = parse_infisical_settings(json{{"projectId", "p"}, {"environment", "dev"}},
                                            {{"INFISICAL_TOKEN", "st.env"}});
  EXPECT_EQ(token_env->access_token, "st.env");
  EXPECT_EQ(token_env->consumed_env, std::vector<std::string>{"INFISICAL_TOKEN"});
}

TEST(InfisicalSettings, Errors) {
  for (const auto& [conf, message] : std::vector<std::pair<json, std::string>>{
           {json{{"accessToken", "t"}, {"environment", "e"}},
            "configuration.projectId is required"},
           {json{{"accessToken", "t"}, {"projectId", "p"}},
            "configuration.environment is required"},
           {json{{"projectId", "p"}, {"environment", "e"}},
            "no credentials: set configuration.accessToken, or clientId and clientSecret "
            "(universal auth)"},
           {json{{"projectId", "p"}, {"environment", "e"}, {"clientId", "c"}},
            "no credentials: set configuration.accessToken, or clientId and clientSecret "
            "(universal auth)"},
       }) {
    auto s = parse_infisical_settings(conf, {});
    ASSERT_FALSE(s.ok()) << conf.dump();
    EXPECT_EQ(s.err().code, errc::config);
    EXPECT_EQ(shape_line(s.err().message), message);
  }
}

TEST(InfisicalProtocol, Identifiers) {
  auto s = settings();
  auto key = parse_infisical_identifier("API_KEY", s);
  EXPECT_EQ(key->name, "API_KEY");
  EXPECT_EQ(key->path, "/");
  auto versioned = parse_infisical_identifier("/mcp/github/TOKEN?version=3", s);
  EXPECT_EQ(versioned->name, "TOKEN");
  EXPECT_EQ(versioned->path, "/mcp/github");
  EXPECT_EQ(versioned->version, "3");
  for (const char* bad : {"", "/mcp/", "K?version=", "K?ver=1"})
    EXPECT_FALSE(parse_infisical_identifier(bad, s).ok()) << bad;
}

TEST(InfisicalProtocol, Requests) {
  auto s = settings();
  auto read = infisical_read_request(s, {"MY KEY", "/a b", "2"}, "st.tok");
  EXPECT_EQ(read.url,
            "https://app.infisical.com/api/v3/secrets/raw/MY%20KEY?workspaceId=proj-1&environment="
            "prod&secretPath=%2Fa%20b&version=2");
  EXPECT_EQ(read.headers, (http_headers{{"Authorization", "Bearer st.tok"}}));
  auto list = infisical_list_request(s, "/", "st.tok");
  EXPECT_EQ(list.url,
            "https://app.infisical.com/api/v3/secrets/raw?workspaceId=proj-1&environment=prod&"
            "secretPath=%2F");
  s.client_id = "cid";
  s.client_secret = "cs";
  auto login = infisical_login_request(s);
  EXPECT_EQ(login.method, "POST");
  EXPECT_EQ(login.url, "https://app.infisical.com/api/v1/auth/universal-auth/login");
  EXPECT_EQ(json::parse(login.body), json::parse(R"({"clientId":"cid","clientSecret":"cs"})"));
}

TEST(InfisicalProtocol, Answers) {
  EXPECT_EQ(*parse_infisical_read(200, read_answer), "k-123");
  auto missing = parse_infisical_read(
      404,
      R"({"reqId":"req-1","statusCode":404,"message":"Secret with name 'X' not found","error":"NotFound"})");
  EXPECT_EQ(missing.err().code, errc::not_found);
  EXPECT_EQ(shape_line(missing.err().message), "HTTP 404: Secret with name 'X' not found");
  auto denied = parse_infisical_read(
      403,
      R"({"reqId":"r","statusCode":403,"message":"You are not allowed to read on secrets","error":"PermissionDenied"})");
  EXPECT_EQ(denied.err().code, errc::refused);
  EXPECT_EQ(parse_infisical_read(401, R"({"message":"Token missing"})").err().code, errc::refused);
  EXPECT_EQ(parse_infisical_read(429, "{}").err().code, errc::unavailable);
  EXPECT_EQ(parse_infisical_read(200, R"({"secret":{}})").err().code, errc::unavailable);

  auto listed = parse_infisical_list(200, list_answer);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(*listed, (std::map<std::string, std::string>{{"A", "shared-a"}, {"B", "b"}}));
  EXPECT_EQ(parse_infisical_list(200, R"({"imports":[]})").err().code, errc::unavailable);

  auto login = parse_infisical_login(
      200,
      R"({"accessToken":"eyJ","expiresIn":7200,"accessTokenMaxTTL":43244,"tokenType":"Bearer"})");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->value, "eyJ");
  EXPECT_EQ(login->lifetime, std::chrono::seconds(7200));  // renewed before it runs out
  EXPECT_FALSE(parse_infisical_login(200, R"({"accessToken":"eyJ"})")->lifetime);
  auto bad = parse_infisical_login(
      401, R"({"statusCode":401,"message":"Invalid credentials","error":"Unauthorized"})");
  EXPECT_EQ(bad.err().code, errc::refused);
  EXPECT_EQ(shape_line(bad.err().message), "universal-auth login: HTTP 401: Invalid credentials");
}

TEST(HttpErrors, StatusesAndMessages) {
  EXPECT_EQ(status_errc(401), errc::refused);
  EXPECT_EQ(status_errc(403), errc::refused);
  EXPECT_EQ(status_errc(404), errc::not_found);
  EXPECT_EQ(status_errc(429), errc::unavailable);
  EXPECT_EQ(status_errc(503), errc::unavailable);
  EXPECT_EQ(status_errc(400), errc::config);
  auto long_message = http_failure(500, std::string(300, 'x') + "\nsecond line");
  EXPECT_EQ(shape_line(long_message.message).find('\n'), std::string::npos);
  EXPECT_LT(shape_line(long_message.message).size(), 230u);
}

}  // namespace
}  // namespace mcpl
