// The AWS store's pure parts: shared files, settings and the choice of credential source,
// identifiers, Secrets Manager's answers and errors, STS, container and IMDS answers.
#include "tests/support/aws.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/quoted.hpp"
#include "providers/aws/aws_protocol.hpp"
#include "providers/aws/credential_sources.hpp"
#include "tests/support/form.hpp"

namespace mcpl {
namespace {

using json = nlohmann::json;
using kind = aws_credential_source::kind;

using test::aws_files;

result<aws_settings> settings(const environment& env, const json& configuration = json::object(),
                              const aws_shared_files& f = aws_files("")) {
  return parse_aws_settings(configuration, env, f);
}

TEST(AwsSharedFiles, IniDialect) {
  auto s = parse_ini(
      "# comment\n[default]\nregion = eu-west-1 ; inline\nAWS_Access_Key_Id=AKIA1\n"
      "s3 =\n  region = nested\n[profile dev]\nregion=us-east-2#not-a-comment\n[default]\n"
      "output = json\n");
  EXPECT_EQ(s["default"]["region"], "eu-west-1");
  EXPECT_EQ(s["default"]["aws_access_key_id"], "AKIA1") << "keys are case-insensitive";
  EXPECT_EQ(s["default"]["output"], "json") << "a repeated section merges";
  EXPECT_EQ(s["profile dev"]["region"], "us-east-2#not-a-comment");
  EXPECT_EQ(s["default"].count("s3"), 1u);
}

TEST(AwsSharedFiles, ProfilesMergeCredentialsOverConfig) {
  auto f = aws_files(
      "[default]\nregion = eu-west-1\n[profile dev]\nregion = us-east-2\n"
      "aws_access_key_id = FROMCONFIG\n",
      "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s\n");
  auto dev = find_profile(f, "dev");
  ASSERT_TRUE(dev);
  EXPECT_EQ((*dev)["region"], "us-east-2");
  EXPECT_EQ((*dev)["aws_access_key_id"], "AKIADEV");
  EXPECT_EQ((*find_profile(f, "default"))["region"], "eu-west-1");
  EXPECT_FALSE(find_profile(f, "nope"));
  EXPECT_FALSE(find_profile(aws_files("[dev]\nregion = x\n"), "dev"))
      << "the config file names profiles \"profile dev\"";
}

TEST(AwsSharedFiles, Paths) {
  auto f = aws_shared_file_paths({{"HOME", "/home/u"}});
  EXPECT_EQ(f.config_path, "/home/u/.aws/config");
  EXPECT_EQ(f.credentials_path, "/home/u/.aws/credentials");
  f = aws_shared_file_paths({{"AWS_CONFIG_FILE", "/c"}, {"AWS_SHARED_CREDENTIALS_FILE", "/k"}});
  EXPECT_EQ(f.config_path, "/c");
  EXPECT_EQ(f.credentials_path, "/k");
}

TEST(AwsSettings, RegionAndEndpoints) {
  auto s = settings({{"AWS_DEFAULT_REGION", "eu-central-1"}, {"AWS_EC2_METADATA_DISABLED", "x"}});
  ASSERT_TRUE(s) << s.err().message;
  EXPECT_EQ(s->region, "eu-central-1");
  EXPECT_EQ(s->endpoint, "https://secretsmanager.eu-central-1.amazonaws.com");
  EXPECT_EQ(s->sts_endpoint, "https://sts.eu-central-1.amazonaws.com");
  EXPECT_EQ(settings({{"AWS_REGION", "cn-north-1"}})->endpoint,
            "https://secretsmanager.cn-north-1.amazonaws.com.cn");
  auto profiled = settings({}, json::object(), aws_files("[default]\nregion = ap-south-1\n"));
  EXPECT_EQ(profiled->region, "ap-south-1");
  auto env = settings({{"AWS_REGION", "us-east-1"},
                       {"AWS_ENDPOINT_URL", "https://localstack.internal:4566/"},
                       {"AWS_ENDPOINT_URL_SECRETS_MANAGER", "https://sm.internal"}});
  EXPECT_EQ(env->endpoint, "https://sm.internal");
  EXPECT_EQ(env->sts_endpoint, "https://localstack.internal:4566");
  auto configured = settings({{"AWS_REGION", "us-east-1"}, {"AWS_ENDPOINT_URL", "https://x"}},
                             {{"endpoint", "https://vpce.example.com"}, {"region", "eu-west-3"}});
  EXPECT_EQ(configured->endpoint, "https://vpce.example.com");
  EXPECT_EQ(configured->region, "eu-west-3");

  auto none = settings({});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.err().code, errc::config);
  EXPECT_NE(none.err().message.find("no AWS region"), std::string::npos);
  EXPECT_FALSE(settings({{"AWS_REGION", "evil.com/x"}})) << "a region goes into a host name";
  EXPECT_FALSE(settings({{"AWS_REGION", "us-east-1"}}, {{"endpoint", "http://sm.example.com"}}));
}

TEST(AwsSettings, TheChainInTheSdksOrder) {
  environment env = {{"AWS_REGION", "us-east-1"},
                     {"AWS_ACCESS_KEY_ID", "AKIAENV"},
                     {"AWS_SECRET_ACCESS_KEY", "envsecret"},
                     {"AWS_SESSION_TOKEN", "envtoken"},
                     {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x"}};
  auto configured = settings(env, {{"accessKeyId", "AKIACONF"}, {"secretAccessKey", "c"}});
  EXPECT_EQ(configured->credentials.origin, "configuration");
  EXPECT_EQ(configured->credentials.keys.access_key_id, "AKIACONF");
  EXPECT_TRUE(configured->consumed_env.empty()) << "the environment's keys were not used";

  auto from_env = settings(env);
  EXPECT_EQ(from_env->credentials.how, kind::keys);
  EXPECT_EQ(from_env->credentials.keys.session_token, "envtoken");
  EXPECT_EQ(from_env->consumed_env,
            (std::vector<std::string>{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                                      "AWS_SESSION_TOKEN"}));

  auto f = aws_files("[profile dev]\nregion = eu-west-1\n",
                     "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = d\n");
  env["AWS_PROFILE"] = "dev";
  auto profile = settings(env, json::object(), f);
  EXPECT_EQ(profile->credentials.keys.access_key_id, "AKIADEV")
      << "a named profile goes before the environment's keys";
  EXPECT_EQ(profile->region, "us-east-1") << "AWS_REGION goes before the profile's";

  env.erase("AWS_PROFILE");
  env.erase("AWS_ACCESS_KEY_ID");
  auto container = settings(env);
  EXPECT_EQ(container->credentials.how, kind::container);
  EXPECT_EQ(container->credentials.uri, "http://169.254.170.2/v2/credentials/x");

  env["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token";
  env["AWS_ROLE_ARN"] = "arn:aws:iam::1:role/r";
  auto irsa = settings(env);
  EXPECT_EQ(irsa->credentials.how, kind::web_identity);
  EXPECT_EQ(irsa->credentials.role_arn, "arn:aws:iam::1:role/r");

  auto imds = settings({{"AWS_REGION", "us-east-1"}});
  EXPECT_EQ(imds->credentials.how, kind::instance_metadata);
  EXPECT_EQ(imds->credentials.imds_endpoint, "http://169.254.169.254");
  auto v6 =
      settings({{"AWS_REGION", "us-east-1"}, {"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"}});
  EXPECT_EQ(v6->credentials.imds_endpoint, "http://[fd00:ec2::254]");
  auto off = settings({{"AWS_REGION", "us-east-1"}, {"AWS_EC2_METADATA_DISABLED", "TRUE"}});
  ASSERT_FALSE(off);
  EXPECT_EQ(off.err().code, errc::config);
}

TEST(AwsSettings, ContainerSources) {
  environment env = {{"AWS_REGION", "us-east-1"},
                     {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials"},
                     {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok"}};
  auto pod = settings(env);
  EXPECT_EQ(pod->credentials.uri, "http://169.254.170.23/v1/credentials");
  EXPECT_EQ(pod->credentials.auth_token, "tok");
  EXPECT_EQ(pod->consumed_env, std::vector<std::string>{"AWS_CONTAINER_AUTHORIZATION_TOKEN"});
  env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "/var/run/secrets/pods.eks.amazonaws.com/token";
  auto file = settings(env);
  EXPECT_EQ(file->credentials.auth_token_file, "/var/run/secrets/pods.eks.amazonaws.com/token");
  EXPECT_TRUE(file->credentials.auth_token.empty()) << "the file goes first";
  env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://192.168.1.1/creds";
  EXPECT_FALSE(settings(env));
  env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "https://creds.example.com/x";
  EXPECT_TRUE(settings(env));
}

TEST(AwsSettings, ProfilesThatCannotWork) {
  environment env = {{"AWS_REGION", "us-east-1"}, {"AWS_PROFILE", "p"}};
  auto process = settings(env, json::object(), aws_files("[profile p]\ncredential_process = /x\n"));
  ASSERT_FALSE(process);
  EXPECT_NE(process.err().message.find("profile 'p' uses credential_process"), std::string::npos)
      << process.err().message;
  auto keyless =
      settings(env, json::object(), aws_files("[profile p]\naws_access_key_id = AKIA\n"));
  EXPECT_NE(keyless.err().message.find("no aws_secret_access_key"), std::string::npos);
  auto region_only = settings(env, json::object(), aws_files("[profile p]\nregion = eu-west-1\n"));
  EXPECT_EQ(region_only->credentials.how, kind::instance_metadata)
      << "a profile without credentials leaves them to the platform";
}

TEST(AwsIdentifiers, NamesArnsAndQualifiers) {
  auto plain = parse_aws_identifier("prod/db");
  EXPECT_EQ(plain->secret_id, "prod/db");
  auto both = parse_aws_identifier(
      "arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf?versionStage=AWSPREVIOUS&versionId=v1");
  EXPECT_EQ(both->secret_id, "arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf");
  EXPECT_EQ(both->version_stage, "AWSPREVIOUS");
  EXPECT_EQ(both->version_id, "v1");
  for (const char* bad : {"", "?versionStage=X", "db?version=1", "db?versionStage=", "db?versionId",
                          "db?versionId=a&versionId=b"}) {
    auto r = parse_aws_identifier(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.err().code, errc::config);
  }
  EXPECT_EQ(
      get_secret_value_body(*both),
      R"({"SecretId":"arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf","VersionId":"v1","VersionStage":"AWSPREVIOUS"})");
}

TEST(AwsProtocol, BytesThatAreNotUtf8DoNotThrow) {
  // A command-line identifier may be any bytes; JSON cannot carry them (fuzz_responses).
  EXPECT_EQ(get_secret_value_body({"a\x84", "", ""}), "{\"SecretId\":\"a\xEF\xBF\xBD\"}");
  EXPECT_EQ(batch_get_secret_value_body({"\xff"}), "{\"SecretIdList\":[\"\xEF\xBF\xBD\"]}");
}

TEST(AwsProtocol, SignedRequest) {
  aws_settings s;
  s.region = "eu-west-1";
  s.endpoint = "https://127.0.0.1:8443";
  auto req = secrets_manager_request(s, {"AKIA", "secret", "tok", {}}, "GetSecretValue", "{}",
                                     std::chrono::system_clock::from_time_t(1764410400));
  EXPECT_EQ(req.url, "https://127.0.0.1:8443/");
  EXPECT_EQ(req.method, "POST");
  auto header = [&](const std::string& name) {
    for (const auto& [n, v] : req.headers)
      if (n == name) return v;
    return std::string("(absent)");
  };
  EXPECT_EQ(header("Host"), "(absent)") << "the client sends Host; it is signed, not doubled";
  EXPECT_EQ(header("X-Amz-Target"), "secretsmanager.GetSecretValue");
  EXPECT_EQ(header("X-Amz-Date"), "20251129T100000Z");
  EXPECT_EQ(header("X-Amz-Security-Token"), "tok");
  EXPECT_NE(header("Authorization")
                .find("Credential=AKIA/20251129/eu-west-1/secretsmanager/aws4_request, "
                      "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;"
                      "x-amz-security-token;x-amz-target, Signature="),
            std::string::npos)
      << header("Authorization");
  EXPECT_EQ(req.transient, &is_aws_throttling);
}

TEST(AwsProtocol, Answers) {
  EXPECT_EQ(*parse_get_secret_value(200, R"({"Name":"a","SecretString":"{\"k\":1}"})"),
            "{\"k\":1}");
  EXPECT_EQ(*parse_get_secret_value(200, R"({"Name":"a","SecretBinary":"AP9B"})"),
            std::string("\x00\xff\x41", 3));
  EXPECT_EQ(parse_get_secret_value(200, R"({"Name":"a","SecretBinary":"!!"})").err().code,
            errc::content);
  EXPECT_EQ(parse_get_secret_value(200, "<html>").err().code, errc::unavailable);

  auto nf = parse_get_secret_value(
      400, R"({"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException",)"
           R"("Message":"Secrets Manager can't find the specified secret."})");
  EXPECT_EQ(nf.err().code, errc::not_found);
  EXPECT_EQ(
      shape_line(nf.err().message),
      "HTTP 400: ResourceNotFoundException: Secrets Manager can't find the specified secret.");
  for (const char* type :
       {"AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException",
        "ExpiredTokenException", "DecryptionFailure"})
    EXPECT_EQ(aws_json_error(400, json{{"__type", type}, {"message", "m"}}.dump()).code,
              errc::refused)
        << type;
  EXPECT_EQ(aws_json_error(400, R"({"__type":"InvalidRequestException"})").code, errc::config);
  EXPECT_EQ(aws_json_error(500, R"({"__type":"InternalServiceError"})").code, errc::unavailable);
  EXPECT_EQ(aws_json_error(503, "").code, errc::unavailable);

  http_response throttled{400, {}, R"({"__type":"ThrottlingException","message":"Rate exceeded"})"};
  EXPECT_TRUE(is_aws_throttling(throttled));
  EXPECT_FALSE(is_aws_throttling({400, {}, R"({"__type":"ResourceNotFoundException"})"}));
}

TEST(AwsProtocol, BatchMatchesNamesArnsAndPartialArns) {
  std::string arn = "arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf";
  std::string body =
      json{{"SecretValues",
            {{{"Name", "db"}, {"ARN", arn}, {"SecretString", "v-db"}},
             {{"Name", "api"}, {"ARN", "arn:...:api-123456"}, {"SecretString", "v-api"}}}},
           {"Errors",
            {{{"SecretId", "gone"},
              {"ErrorCode", "ResourceNotFoundException"},
              {"Message", "not found"}}}}}
          .dump();
  std::vector<std::string> ids = {"api", arn, "arn:aws:secretsmanager:us-east-1:1:secret:db",
                                  "gone", "arn:aws:secretsmanager:us-east-1:1:secret:d"};
  auto got = parse_batch_get_secret_value(200, body, ids);
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 5u);
  EXPECT_EQ((*got)[0], "v-api");
  EXPECT_EQ((*got)[1], "v-db");
  EXPECT_EQ((*got)[2], "v-db") << "a partial ARN";
  EXPECT_FALSE((*got)[3]) << "an error entry: read alone";
  EXPECT_FALSE((*got)[4]) << "a prefix that is not a partial ARN";
  EXPECT_EQ(batch_get_secret_value_body({"a", "b"}), R"({"SecretIdList":["a","b"]})");
  EXPECT_EQ(
      parse_batch_get_secret_value(400, R"({"__type":"AccessDeniedException"})", ids).err().code,
      errc::refused);
}

TEST(AwsCredentialSources, StsContainerImds) {
  aws_settings s;
  s.sts_endpoint = "https://sts.us-east-1.amazonaws.com";
  s.credentials.role_arn = "arn:aws:iam::1:role/r";
  auto req =
      web_identity_request(s, "eyJ.a+b/c=", std::chrono::system_clock::from_time_t(1700000000));
  EXPECT_EQ(req.url, "https://sts.us-east-1.amazonaws.com/");
  // As STS reads the form: a '+' left unescaped would arrive as a space.
  EXPECT_EQ(test::form_fields(req.body),
            (std::map<std::string, std::string>{{"Action", "AssumeRoleWithWebIdentity"},
                                                {"Version", "2011-06-15"},
                                                {"RoleArn", "arn:aws:iam::1:role/r"},
                                                {"RoleSessionName", "mcp-launch-1700000000"},
                                                {"WebIdentityToken", "eyJ.a+b/c="}}));
  auto creds = parse_web_identity(
      200,
      "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
      "<AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s&amp;1</SecretAccessKey>"
      "<SessionToken>t</SessionToken><Expiration>2026-11-30T18:00:00Z</Expiration>"
      "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>");
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->secret_access_key, "s&1");
  // 2026-11-30T18:00:00Z: they are obtained again before then.
  EXPECT_EQ(creds->expiration, std::chrono::system_clock::from_time_t(1796061600));
  auto refused = parse_web_identity(
      400,
      "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
      "<Message>Couldn&apos;t retrieve verification key</Message></Error></ErrorResponse>");
  EXPECT_EQ(refused.err().code, errc::refused);
  EXPECT_EQ(shape_line(refused.err().message),
            "HTTP 400: InvalidIdentityToken: Couldn't retrieve verification key");
  EXPECT_TRUE(is_sts_throttling(
      {400, {}, "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>"}));

  auto container = container_credentials_request("http://169.254.170.2/v2/credentials/x", "tok");
  EXPECT_EQ(container.headers, (http_headers{{"Authorization", "tok"}}));
  EXPECT_EQ(parse_container_credentials(
                200, R"({"AccessKeyId":"ASIA","SecretAccessKey":"s","Token":"t","Expiration":"x"})")
                ->session_token,
            "t");
  EXPECT_FALSE(
      parse_container_credentials(
          200, R"({"AccessKeyId":"ASIA","SecretAccessKey":"s","Token":"t","Expiration":"x"})")
          ->expiration);
  EXPECT_EQ(
      parse_imds_credentials(200, R"({"Code":"Success","AccessKeyId":"ASIA","SecretAccessKey":"s",
                 "Token":"t","Expiration":"2026-11-30T18:00:00.123Z"})")
          ->expiration,
      std::chrono::system_clock::from_time_t(1796061600));
  EXPECT_EQ(parse_expiration("2026-11-30T18:00:00+00:00"),
            std::chrono::system_clock::from_time_t(1796061600));
  for (const char* bad :
       {"", "2026-11-30", "2026-11-30T18:00:00", "2026-11-30T18:00:00+01:00",
        "2026-11-30T18:00:00Zjunk", "2026-1-30T18:00:00Z",
        "8889-11-30T18:00:00Z"})  // the last: found by fuzz_responses, past a time_point
    EXPECT_FALSE(parse_expiration(bad)) << bad;
  EXPECT_EQ(parse_container_credentials(401, R"({"message":"unauthorized"})").err().code,
            errc::refused);
  EXPECT_EQ(parse_imds_credentials(200, R"({"Code":"Failure","AccessKeyId":"A"})").err().code,
            errc::unavailable);

  EXPECT_EQ(imds_token_request("http://169.254.169.254").method, "PUT");
  EXPECT_EQ(imds_credentials_request("http://169.254.169.254", "t", "my role").url,
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/my%20role");
  EXPECT_EQ(*parse_imds_text(200, "role-a\nrole-b\n"), "role-a");
  EXPECT_EQ(parse_imds_text(404, "").err().code, errc::config);
  EXPECT_EQ(xml_text("<a>1</a>", "b"), "");
}

}  // namespace
}  // namespace mcpl
