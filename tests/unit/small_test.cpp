// Durations, host variables, redaction, the exit-code table, and the encodings of crypto.hpp.
#include <gtest/gtest.h>

#include "core/duration.hpp"
#include "core/quoted.hpp"
#include "launcher/config.hpp"
#include "platform/crypto.hpp"
#include "providers/settings.hpp"
#include "resolver/redactor.hpp"

namespace mcpl {
namespace {

using std::chrono::milliseconds;

TEST(Crypto, Base64) {
  EXPECT_EQ(*base64_decode(""), "");
  EXPECT_EQ(*base64_decode("Zg=="), "f");
  EXPECT_EQ(*base64_decode("Zm8"), "fo");
  EXPECT_EQ(*base64_decode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(*base64_decode("AP8+/w=="), std::string("\x00\xff\x3e\xff", 4));
  for (const char* bad : {"Z", "Zm9v!", "Zm 9v", "Zm9v-_"}) EXPECT_FALSE(base64_decode(bad)) << bad;
  EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231, test case 2.
  EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Duration, Units) {
  EXPECT_EQ(*parse_duration("250ms"), milliseconds(250));
  EXPECT_EQ(*parse_duration("30s"), milliseconds(30'000));
  EXPECT_EQ(*parse_duration("2m"), milliseconds(120'000));
  EXPECT_EQ(*parse_duration("1h"), milliseconds(3'600'000));
  EXPECT_EQ(*parse_duration("0s"), milliseconds(0));
  for (const char* bad : {"", "s", "10", "1.5s", "-1s", "10d", "5 s", "99999999999999h"}) {
    auto r = parse_duration(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.err().code, errc::usage);
  }
}

TEST(HostVariables, Forms) {
  environment env = {{"TEAM", "acme"}, {"EMPTY", ""}};
  EXPECT_EQ(*expand_host_variables("${env:TEAM}/x", env), "acme/x");
  EXPECT_EQ(*expand_host_variables("${env:MISSING}", env), "");
  EXPECT_EQ(*expand_host_variables("${TEAM}-${TEAM}", env), "acme-acme");
  EXPECT_EQ(*expand_host_variables("${MISSING:-dflt}", env), "dflt");
  EXPECT_EQ(*expand_host_variables("${EMPTY:-dflt}", env), "dflt");
  EXPECT_EQ(*expand_host_variables("${TEAM:-dflt}", env), "acme");
  EXPECT_EQ(*expand_host_variables("$TEAM ${ unterminated", env), "$TEAM ${ unterminated");
  auto missing = expand_host_variables("${MISSING}", env);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(
      shape_line(missing.err().message),
      "${MISSING}: environment variable MISSING is not set (${MISSING:-default} gives a default)");
  auto input = expand_host_variables("${input:api-key}", env);
  ASSERT_FALSE(input.ok());
  EXPECT_EQ(input.err().code, errc::config);
  EXPECT_NE(input.err().message.find("input 'api-key'"), std::string::npos);
}

TEST(HostVariables, ClientVariablesShellFormsAndTheEscape) {
  environment env = {{"TEAM", "acme"}};
  EXPECT_EQ(*expand_host_variables("$${TEAM} ${TEAM} $$ $x", env), "${TEAM} acme $$ $x");
  EXPECT_EQ(*expand_host_variables("a$${workspaceFolder}", env), "a${workspaceFolder}");
  auto ws = expand_host_variables("${workspaceFolder}/src", env);
  ASSERT_FALSE(ws.ok());
  EXPECT_EQ(ws.err().message,
            "${workspaceFolder} is a variable of the MCP client (VS Code's), which only the "
            "client can expand: keep it in the client's own entry, or write $${workspaceFolder} "
            "for the text ${workspaceFolder}");
  EXPECT_FALSE(expand_host_variables("${config:editor.tabSize}", env).ok());
  for (const char* shell : {"${TEAM-x}", "${TEAM:=x}", "${TEAM:?}", "${#TEAM}", "${TEAM+x}"}) {
    auto r = expand_host_variables(shell, env);
    ASSERT_FALSE(r.ok()) << shell;
    EXPECT_NE(r.err().message.find("the forms read are ${NAME}, ${NAME:-default} and ${env:NAME}"),
              std::string::npos)
        << r.err().message;
  }
  std::vector<std::string> used;
  EXPECT_EQ(*expand_host_variables("${TEAM}${env:TEAM}${NONE:-d}", env, &used), "acmeacmed");
  EXPECT_EQ(used, (std::vector<std::string>{"TEAM", "TEAM"}));
}

TEST(Redactor, ReplacesValuesAndTheirJsonForms) {
  redactor r;
  r.add("s3cr3t-value");
  r.add("quote\"d\\value");
  r.add("abc");  // too short to search for
  EXPECT_EQ(r.redact("token=s3cr3t-value; again s3cr3t-value"), "token=***; again ***");
  EXPECT_EQ(r.redact(R"({"v":"quote\"d\\value"})"), R"({"v":"***"})");
  EXPECT_EQ(r.redact("abc"), "abc");
}

TEST(Redactor, RedactsBeforeAQuotedAnswerIsCutOrFolded) {
  redactor r;
  const std::string token(194, 'T');
  r.add(token);
  // The token straddles the 200-byte cut of a store's quoted answer, and another copy
  // sits after a line break: both must go as a whole, before the shaping.
  std::string answer = std::string(100, '.') + token + "\n" + token;
  std::string shown = r.present("HTTP 403: " + quote_foreign(answer));
  EXPECT_EQ(shown.find("TTTT"), std::string::npos) << shown;
  EXPECT_EQ(shown, "HTTP 403: " + std::string(100, '.') + "*** ***");
  std::string cut = r.present(quote_foreign(std::string(300, 'x') + "\nend"));
  EXPECT_EQ(cut, std::string(200, 'x') + "...");
}

TEST(Redactor, ControlCharactersAreEscapedNotSent) {
  redactor r;
  EXPECT_EQ(r.present("HTTP 500: " + quote_foreign("bad\x1b[2J\x07\x0b\tend")),
            "HTTP 500: bad\\x1b[2J\\x07\\x0b end");
  EXPECT_EQ(r.present("line\nnext \xc2\x9b"
                      "1m caf\xc3\xa9"),
            "line\\x0anext \\xc2\\x9b1m caf\xc3\xa9");
  // The framing characters of a quoted run never reach the output, even when forged.
  EXPECT_EQ(r.present(quote_foreign("a\x02"
                                    "b\x03"
                                    "c")),
            "a b c");
}

TEST(Names, PlainNamesAndPathsRefuseNulDotsAndControls) {
  using namespace std::string_literals;
  EXPECT_TRUE(is_plain_name("my-project.1", "-."));
  EXPECT_FALSE(is_plain_name("a\0b"s, "-."));  // strchr finds the terminator for NUL
  EXPECT_FALSE(is_plain_name("..", "-."));
  EXPECT_FALSE(is_plain_name(".", "-."));
  EXPECT_FALSE(is_plain_name("", "-."));
  EXPECT_EQ(path_problem("a/b/c"), std::nullopt);
  EXPECT_EQ(path_problem("a/..b/c."), std::nullopt);
  EXPECT_EQ(*path_problem("a/.."), "it has a '..' path segment");
  EXPECT_EQ(*path_problem("./a"), "it has a '.' path segment");
  EXPECT_EQ(*path_problem("a\tb"), "it holds a control character");
}

TEST(ExitCodes, DesignTable) {
  EXPECT_EQ(exit_code(errc::usage), 64);
  EXPECT_EQ(exit_code(errc::content), 65);
  EXPECT_EQ(exit_code(errc::unavailable), 69);
  EXPECT_EQ(exit_code(errc::internal), 70);
  EXPECT_EQ(exit_code(errc::refused), 77);
  EXPECT_EQ(exit_code(errc::config), 78);
  EXPECT_EQ(exit_code(errc::not_found), 78);
  EXPECT_EQ(exit_code(errc::cannot_execute), 126);
  EXPECT_EQ(exit_code(errc::command_not_found), 127);
  // A permanent failure wins over a transient one, whatever the order.
  EXPECT_EQ(more_severe(errc::unavailable, errc::refused), errc::refused);
  EXPECT_EQ(more_severe(errc::config, errc::unavailable), errc::config);
}

}  // namespace
}  // namespace mcpl
