// SigV4 against AWS's published test suite (../shared/testdata/aws-sigv4-test-suite, beside
// the project: the cases skip, saying so, where it is absent), plus one vector of AWS's
// documentation that runs everywhere.
#include "providers/aws/sigv4.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/files.hpp"

namespace mcpl {
namespace {

namespace fs = std::filesystem;

const fs::path suite =
    fs::path(MCPL_SOURCE_DIR) / ".." / "shared" / "testdata" / "aws-sigv4-test-suite";

using test::slurp;

std::chrono::system_clock::time_point parse_time(const std::string& iso) {
  std::tm tm{};
  strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// request.txt: "METHOD target HTTP/1.1", headers (a line starting with blanks continues the
// header before it), an empty line, the body.
sigv4_request parse_request(const std::string& text) {
  sigv4_request req;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  req.method = line.substr(0, line.find(' '));
  std::string target =
      line.substr(req.method.size() + 1, line.rfind(" HTTP/") - req.method.size() - 1);
  auto q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) req.query = target.substr(q + 1);
  while (std::getline(in, line) && !line.empty()) {
    if (line.front() == ' ' || line.front() == '\t') {
      req.headers.back().second += " " + line;
      continue;
    }
    auto colon = line.find(':');
    req.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  std::stringstream rest;
  rest << in.rdbuf();
  req.body = rest.str();
  return req;
}

TEST(SigV4, PublishedTestSuite) {
  if (!fs::is_directory(suite))
    GTEST_SKIP() << suite << " is absent: AWS's SigV4 vectors live beside the project, in "
                 << "../shared/testdata, and are not part of it";
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(suite)) {
    if (!entry.is_directory()) continue;
    SCOPED_TRACE(entry.path().filename().string());
    auto context = nlohmann::json::parse(slurp(entry.path() / "context.json"));
    aws_credentials creds{context["credentials"]["access_key_id"],
                          context["credentials"]["secret_access_key"],
                          "",
                          {}};
    if (context["credentials"].contains("token") && !context.value("omit_session_token", false))
      creds.session_token = context["credentials"]["token"];
    sigv4_scope scope{context["region"], context["service"], parse_time(context["timestamp"]),
                      context["normalize"], context["sign_body"]};
    auto sig = sign_v4(parse_request(slurp(entry.path() / "request.txt")), creds, scope);
    EXPECT_EQ(sig.canonical_request, slurp(entry.path() / "header-canonical-request.txt"));
    EXPECT_EQ(sig.string_to_sign, slurp(entry.path() / "header-string-to-sign.txt"));
    EXPECT_EQ(sig.signature, slurp(entry.path() / "header-signature.txt"));
    std::string signed_request = slurp(entry.path() / "header-signed-request.txt");
    EXPECT_NE(signed_request.find("Authorization:" + sig.headers.back().second + "\n"),
              std::string::npos);
    ++cases;
  }
  EXPECT_GE(cases, 30) << "the suite has its header-signing cases";
}

// The example of AWS's "Create a signed AWS API request" guide (IAM ListUsers).
TEST(SigV4, DocumentationExample) {
  sigv4_request req{"GET",
                    "/",
                    "Action=ListUsers&Version=2010-05-08",
                    {{"Host", "iam.amazonaws.com"},
                     {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
                    ""};
  aws_credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}};
  auto sig = sign_v4(req, creds, {"us-east-1", "iam", parse_time("2015-08-30T12:36:00Z")});
  EXPECT_EQ(sig.signature, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
  ASSERT_EQ(sig.headers.size(), 2u);
  EXPECT_EQ(sig.headers[0],
            (std::pair<std::string, std::string>{"X-Amz-Date", "20150830T123600Z"}));
  EXPECT_EQ(sig.headers[1].second,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(SigV4, TemporaryCredentialsSignTheirTokenAndTheBodyHashOnRequest) {
  sigv4_request req{"POST", "/", "", {{"Host", "secretsmanager.eu-west-1.amazonaws.com"}}, "{}"};
  aws_credentials creds{"ASIAEXAMPLE", "secret", "session-token", {}};
  sigv4_scope scope{"eu-west-1", "secretsmanager", parse_time("2026-11-29T10:00:00Z")};
  scope.sign_body = true;
  auto sig = sign_v4(req, creds, scope);
  ASSERT_EQ(sig.headers.size(), 4u);
  EXPECT_EQ(sig.headers[1].first, "X-Amz-Security-Token");
  EXPECT_EQ(sig.headers[2].first, "X-Amz-Content-Sha256");
  EXPECT_EQ(sig.headers[2].second,
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  EXPECT_NE(
      sig.canonical_request.find("host;x-amz-content-sha256;x-amz-date;x-amz-security-token\n"),
      std::string::npos);
}

}  // namespace
}  // namespace mcpl
