// The AWS chain's profiles as the SDKs resolve them: roles assumed from source profiles
// (chains, cycles, self-reference) and from the platform (credential_source), IAM Identity
// Center sessions (both forms, the token cache's name and contents, GetRoleCredentials), the
// store's own roleArn, and STS AssumeRole's signed request and answer.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "platform/crypto.hpp"
#include "providers/aws/credential_sources.hpp"
#include "providers/aws/profile_credentials.hpp"
#include "providers/aws/sso_protocol.hpp"
#include "tests/support/aws.hpp"
#include "tests/support/form.hpp"

namespace mcpl {
namespace {

using json = nlohmann::json;
using kind = aws_credential_source::kind;

using test::aws_files;

result<aws_settings> with_profile(const std::string& config, const std::string& credentials = "",
                                  const json& configuration = json::object(),
                                  environment env = {}) {
  env.emplace("AWS_REGION", "eu-west-1");
  env.emplace("AWS_PROFILE", "app");
  return parse_aws_settings(configuration, env, aws_files(config, credentials));
}

TEST(AwsProfiles, RolesFromSourceProfilesInOrder) {
  auto s = with_profile(
      "[profile app]\nrole_arn = arn:aws:iam::2:role/app\nsource_profile = mid\n"
      "external_id = ext-1\nduration_seconds = 1800\nrole_session_name = me\n"
      "[profile mid]\nrole_arn = arn:aws:iam::1:role/mid\nsource_profile = base\n",
      "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n");
  ASSERT_TRUE(s) << s.err().message;
  EXPECT_EQ(s->credentials.how, kind::keys);
  EXPECT_EQ(s->credentials.keys.access_key_id, "AKIABASE");
  ASSERT_EQ(s->credentials.roles.size(), 2u);
  EXPECT_EQ(s->credentials.roles[0].role_arn, "arn:aws:iam::1:role/mid") << "the source's first";
  EXPECT_EQ(s->credentials.roles[1].role_arn, "arn:aws:iam::2:role/app");
  EXPECT_EQ(s->credentials.roles[1].external_id, "ext-1");
  EXPECT_EQ(s->credentials.roles[1].duration_seconds, 1800);
  EXPECT_EQ(s->credentials.roles[1].session_name, "me");
  EXPECT_EQ(s->credentials.origin,
            "profile 'base', then role arn:aws:iam::1:role/mid (profile 'mid'), then role "
            "arn:aws:iam::2:role/app (profile 'app')");

  // A source profile with keys ends the chain even when it names a role too; a profile that
  // is its own source assumes its role with its own keys.
  auto keyed = with_profile(
      "[profile app]\nrole_arn = arn:aws:iam::2:role/app\nsource_profile = base\n"
      "[profile base]\nrole_arn = arn:aws:iam::1:role/ignored\nsource_profile = x\n",
      "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n");
  ASSERT_EQ(keyed->credentials.roles.size(), 1u);
  auto self =
      with_profile("[profile app]\nrole_arn = arn:aws:iam::2:role/app\nsource_profile = app\n",
                   "[app]\naws_access_key_id = AKIASELF\naws_secret_access_key = s\n");
  EXPECT_EQ(self->credentials.keys.access_key_id, "AKIASELF");
  EXPECT_EQ(self->credentials.roles.size(), 1u);
}

TEST(AwsProfiles, ChainsThatCannotWork) {
  auto message = [](const result<aws_settings>& s) { return s ? "" : s.err().message; };
  auto cycle = with_profile(
      "[profile app]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
      "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = app\n");
  EXPECT_EQ(message(cycle), "source_profile goes round in a cycle: 'app' → 'b' → 'app'");
  auto missing =
      with_profile("[profile app]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = gone\n");
  EXPECT_NE(message(missing).find("profile 'gone' is in neither"), std::string::npos);
  auto empty = with_profile(
      "[profile app]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile "
      "b]\nregion=x\n");
  EXPECT_EQ(message(empty), "profile 'app': its source_profile 'b' has no credentials");
  EXPECT_EQ(message(with_profile(
                "[profile app]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = app\n")),
            "profile 'app' is its own source_profile but has no keys");
  auto mfa = with_profile(
      "[profile app]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = app\n"
      "mfa_serial = arn:aws:iam::1:mfa/me\n",
      "[app]\naws_access_key_id = A\naws_secret_access_key = s\n");
  ASSERT_FALSE(mfa);
  EXPECT_EQ(mfa.err().code, errc::config);
  EXPECT_NE(message(mfa).find("asks for an MFA code (mfa_serial)"), std::string::npos);
  EXPECT_NE(message(with_profile("[profile app]\nrole_arn = arn:aws:iam::1:role/a\n"))
                .find("nothing to assume it with"),
            std::string::npos);
  EXPECT_NE(message(with_profile("[profile app]\nrole_arn = arn:aws:iam::1:role/a\n"
                                 "source_profile = app\nduration_seconds = 60\n",
                                 "[app]\naws_access_key_id = A\naws_secret_access_key = s\n"))
                .find("duration_seconds must be 900 to 43200"),
            std::string::npos);
  EXPECT_NE(message(with_profile("[profile app]\nrole_arn = x\ncredential_source = Environment\n",
                                 "", json::object(),
                                 {{"AWS_ACCESS_KEY_ID", "A"}, {"AWS_SECRET_ACCESS_KEY", "s"}}))
                .find("'x' is not a role ARN"),
            std::string::npos);
}

TEST(AwsProfiles, CredentialSourceNamesThePlatform) {
  const std::string role = "[profile app]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = ";
  auto env_keys = with_profile(role + "Environment\n", "", json::object(),
                               {{"AWS_ACCESS_KEY_ID", "AKIAENV"}, {"AWS_SECRET_ACCESS_KEY", "e"}});
  EXPECT_EQ(env_keys->credentials.keys.access_key_id, "AKIAENV");
  EXPECT_EQ(env_keys->consumed_env,
            (std::vector<std::string>{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}))
      << "the child does not get keys the launcher used";
  auto imds = with_profile(role + "Ec2InstanceMetadata\n");
  EXPECT_EQ(imds->credentials.how, kind::instance_metadata);
  auto ecs = with_profile(role + "EcsContainer\n", "", json::object(),
                          {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/c"}});
  EXPECT_EQ(ecs->credentials.how, kind::container);
  EXPECT_EQ(ecs->credentials.roles.size(), 1u);
  EXPECT_FALSE(with_profile(role + "EcsContainer\n"));
  EXPECT_FALSE(with_profile(role + "Environment\n"));
  EXPECT_FALSE(with_profile(role + "Lambda\n"));
}

TEST(AwsProfiles, IamIdentityCenterSessions) {
  auto modern = with_profile(
      "[profile app]\nsso_session = corp\nsso_account_id = 111122223333\n"
      "sso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
      "sso_region = us-east-2\nsso_registration_scopes = sso:account:access\n");
  ASSERT_TRUE(modern) << modern.err().message;
  const auto& c = modern->credentials;
  EXPECT_EQ(c.how, kind::sso);
  EXPECT_EQ(c.sso_region, "us-east-2");
  EXPECT_EQ(c.sso_account_id, "111122223333");
  EXPECT_EQ(c.sso_role_name, "Dev");
  // The AWS CLI names the cache file after the SHA-1 of the session's name.
  EXPECT_EQ(c.sso_cache_file, "/h/.aws/sso/cache/" + hex(sha1("corp")) + ".json");
  EXPECT_EQ(hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d") << "FIPS 180-2";
  EXPECT_EQ(c.sso_login, "aws sso login --sso-session corp");

  auto legacy = with_profile(
      "[profile app]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
      "sso_account_id = 1\nsso_role_name = Dev\n");
  EXPECT_EQ(legacy->credentials.sso_cache_file,
            "/h/.aws/sso/cache/" + hex(sha1("https://corp.awsapps.com/start")) + ".json")
      << "the legacy form: the start URL's";
  EXPECT_EQ(legacy->credentials.sso_login, "aws sso login --profile app");

  auto bad_region = with_profile(
      "[profile app]\nsso_start_url = u\nsso_region = evil.com/x\nsso_account_id = 1\n"
      "sso_role_name = r\n");
  EXPECT_EQ(bad_region.err().message, "profile 'app': 'evil.com/x' is not an AWS region name")
      << "it goes into the portal's host name";
  auto no_session = with_profile("[profile app]\nsso_session = nope\nsso_account_id = 1\n");
  EXPECT_NE(no_session.err().message.find("[sso-session nope]"), std::string::npos);
  auto no_role = with_profile(
      "[profile app]\nsso_session = corp\nsso_account_id = 1\n[sso-session corp]\n"
      "sso_start_url = u\nsso_region = r\n");
  EXPECT_EQ(no_role.err().message, "profile 'app' has no sso_role_name");
  auto contradicts = with_profile(
      "[profile app]\nsso_session = corp\nsso_region = eu-west-1\nsso_account_id = 1\n"
      "sso_role_name = r\n[sso-session corp]\nsso_start_url = u\nsso_region = us-east-1\n");
  EXPECT_NE(contradicts.err().message.find("sso_region differs"), std::string::npos);
  // A role assumed on top of an SSO role, as the store's roleArn.
  auto chained = with_profile(
      "[profile app]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = Dev\n"
      "[sso-session corp]\nsso_start_url = u\nsso_region = us-east-1\n",
      "", {{"roleArn", "arn:aws:iam::2:role/reader"}, {"externalId", "x-1"}});
  ASSERT_EQ(chained->credentials.roles.size(), 1u);
  EXPECT_EQ(chained->credentials.roles[0].external_id, "x-1");
  EXPECT_FALSE(with_profile("[profile app]\n", "", {{"externalId", "x"}}))
      << "an external ID without a role";
}

TEST(AwsSso, CacheAndGetRoleCredentials) {
  aws_credential_source c;
  c.origin = "profile 'app'";
  c.sso_cache_file = "/h/.aws/sso/cache/x.json";
  c.sso_region = "us-east-2";
  c.sso_account_id = "111122223333";
  c.sso_role_name = "Dev Role";
  c.sso_login = "aws sso login --sso-session corp";
  auto now = std::chrono::system_clock::from_time_t(1796061600);  // 2026-11-30T18:00:00Z
  auto valid = parse_sso_cache(
      R"({"startUrl":"u","region":"us-east-2","accessToken":"aoaT0k","expiresAt":"2026-11-30T19:00:00Z",
          "refreshToken":"aorT0k","clientSecret":"cs"})",
      c, now);
  ASSERT_TRUE(valid) << valid.err().message;
  EXPECT_EQ(valid->access_token, "aoaT0k");
  EXPECT_EQ(valid->other_secrets, (std::vector<std::string>{"aorT0k", "cs"}));
  EXPECT_TRUE(
      parse_sso_cache(R"({"accessToken":"a","expiresAt":"2026-11-30T19:00:00UTC"})", c, now))
      << "the AWS CLI v1's form";
  auto expired =
      parse_sso_cache(R"({"accessToken":"a","expiresAt":"2026-11-30T17:59:59Z"})", c, now);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.err().code, errc::refused);
  EXPECT_EQ(expired.err().message,
            "the IAM Identity Center login of profile 'app' expired at 2026-11-30T17:59:59Z: run "
            "`aws sso login --sso-session corp`");
  EXPECT_EQ(parse_sso_cache("not json", c, now).err().code, errc::refused);

  auto req = sso_role_credentials_request("", c, "aoaT0k");
  EXPECT_EQ(req.url,
            "https://portal.sso.us-east-2.amazonaws.com/federation/"
            "credentials?account_id=111122223333&role_name=Dev%20Role");
  EXPECT_EQ(req.headers, (http_headers{{"x-amz-sso_bearer_token", "aoaT0k"}}))
      << "the token in a header, never in the query";
  EXPECT_EQ(sso_role_credentials_request("http://127.0.0.1:9", c, "t")
                .url.rfind("http://127.0.0.1:9/", 0),
            0u);
  auto creds = parse_sso_role_credentials(
      200, R"({"roleCredentials":{"accessKeyId":"ASIA1","secretAccessKey":"s","sessionToken":"t",
               "expiration":1796061600000}})");
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->expiration, now);
  // Found by fuzz_responses: a time past a time_point's range is no expiration, not overflow.
  EXPECT_FALSE(parse_sso_role_credentials(
                   200, R"({"roleCredentials":{"accessKeyId":"A","secretAccessKey":"s",
                            "expiration":9796061600000}})")
                   ->expiration);
  EXPECT_EQ(parse_sso_role_credentials(401, R"({"message":"Session token not found or invalid"})")
                .err()
                .code,
            errc::refused);
  EXPECT_EQ(parse_sso_role_credentials(403, R"({"message":"No access"})").err().code,
            errc::refused);
  EXPECT_EQ(parse_sso_role_credentials(429, "{}").err().code, errc::unavailable);
  EXPECT_EQ(parse_sso_role_credentials(200, R"({"roleCredentials":{}})").err().code,
            errc::unavailable);
}

TEST(AwsSts, AssumeRoleSignedWithTheSourceCredentials) {
  aws_settings s;
  s.region = "eu-west-1";
  s.sts_endpoint = "https://sts.eu-west-1.amazonaws.com";
  aws_role_step role{"arn:aws:iam::2:role/app", "", "ext-1", 1800, "profile 'app'"};
  aws_credentials source{"ASIASRC", "srcsecret", "srctoken", std::nullopt};
  auto req =
      assume_role_request(s, role, source, std::chrono::system_clock::from_time_t(1700000000));
  EXPECT_EQ(test::form_fields(req.body),
            (std::map<std::string, std::string>{{"Action", "AssumeRole"},
                                                {"Version", "2011-06-15"},
                                                {"RoleArn", "arn:aws:iam::2:role/app"},
                                                {"RoleSessionName", "mcp-launch-1700000000"},
                                                {"ExternalId", "ext-1"},
                                                {"DurationSeconds", "1800"}}));
  std::map<std::string, std::string> headers(req.headers.begin(), req.headers.end());
  EXPECT_EQ(headers["X-Amz-Security-Token"], "srctoken");
  EXPECT_EQ(headers["Authorization"].rfind(
                "AWS4-HMAC-SHA256 Credential=ASIASRC/20231114/eu-west-1/sts/aws4_request, ", 0),
            0u)
      << headers["Authorization"];
  auto creds = parse_assume_role(
      200,
      "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA2</AccessKeyId>"
      "<SecretAccessKey>s2</SecretAccessKey><SessionToken>t2</SessionToken>"
      "<Expiration>2026-11-30T18:00:00Z</Expiration></Credentials></AssumeRoleResult>"
      "</AssumeRoleResponse>");
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->access_key_id, "ASIA2");
  EXPECT_EQ(parse_assume_role(403,
                              "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not "
                              "authorized</Message></Error></ErrorResponse>")
                .err()
                .code,
            errc::refused);
}

}  // namespace
}  // namespace mcpl
