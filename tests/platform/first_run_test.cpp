// What a new user meets first (issue: first-run experience): values from files with a line
// break, mistakes that used to pass in silence, and commands that must say what to do.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "tests/support/spawn.hpp"

namespace mcpl::test {
namespace {

// `echo tok > file`: a token with the line break echo adds.
struct echoed_token {
  temp_dir creds;
  echoed_token() { creds.write("github_token", "ghp_echoed\n"); }
  std::map<std::string, std::string> env(std::map<std::string, std::string> extra = {}) const {
    extra["CREDENTIALS_DIRECTORY"] = creds.path();
    return base_env(extra);
  }
};

TEST(FirstRun, ExactBytesByDefaultTrimOnRequest) {
  echoed_token t;
  const std::vector<std::string> show = {"--", "sh", "-c", "printf '[%s][%s]' \"$A\" \"$B\""};
  auto r = run_launcher(show, t.env({{"A", "{{ secrets.file.github_token }}"},
                                     {"B", "{{ secrets.file.github_token | trim }}"}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "[ghp_echoed\n][ghp_echoed]");
  // `| trim | file`: the file holds the trimmed bytes.
  auto f = run_launcher({"--", "sh", "-c", "printf '[%s]' \"$(cat \"$F\"; echo .)\""},
                        t.env({{"F", "{{ secrets.file.github_token | trim | file }}"}}));
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_EQ(f.out, "[ghp_echoed.]");
}

TEST(FirstRun, CheckSaysAValueEndsWithANewline) {
  echoed_token t;
  auto env = t.env({{"A", "{{ secrets.file.github_token }}"},
                    {"B", "{{ secrets.file.github_token | trim }}"}});
  auto r = run_launcher({"check", "--", "true"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("{{ secrets.file.github_token }}  store=file  ok  "), std::string::npos);
  EXPECT_NE(r.out.find("length=11  ends with a newline (| trim drops it)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("| trim }}  store=file  ok"), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
  EXPECT_EQ(r.out.find("ghp_echoed"), std::string::npos) << r.out;
  auto j = run_launcher({"check", "--json", "--", "true"}, env);
  auto doc = nlohmann::json::parse(j.out);
  ASSERT_EQ(doc["references"].size(), 2u);
  EXPECT_EQ(doc["references"][0]["note"], "ends with a newline (| trim drops it)");
  EXPECT_FALSE(doc["references"][1].contains("note"));
}

}  // namespace
}  // namespace mcpl::test
