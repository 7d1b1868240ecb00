// Secrets never reach a disk, a log line at any level, or the launcher's stdout.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "tests/support/files.hpp"
#include "tests/support/spawn.hpp"

namespace mcpl::test {
namespace {

const std::string kFileSecret = "file-secret-Zq8wX3vB7nM2";
const std::string kEnvSecret = "env-secret-Hk4pL9sD1fG6";
const std::string kJsonSecret = R"({"user": "svc", "password": "json-secret-Tr5yU8iO0pA3"})";

struct fixture {
  temp_dir creds;
  temp_dir conf;
  std::string cfg;
  std::map<std::string, std::string> env;
  fixture() {
    creds.write("api_key", kFileSecret);
    creds.write("db.json", kJsonSecret);
    cfg = conf.write("c.json", R"({"secretStores": [{"name": "creds", "type": "file",
        "configuration": {"directory": ")" +
                                   creds.path() + R"("},
        "mappings": [{"name": "db_password", "secretIdentifier": "db.json#password"}]}]})");
    env = base_env({{"API_KEY", "{{ secrets.creds.[api_key] }}"},
                    {"KEY_FILE", "{{ secrets.creds.[api_key] | file }}"},
                    {"DB_PASSWORD", "{{ secrets.creds.db_password }}"},
                    {"FROM_ENV", "{{ env.RAW_SECRET }}"},
                    {"RAW_SECRET", kEnvSecret}});
  }
};

// Lines of an strace log that create, write to or remove a file.
std::vector<std::string> disk_writes(const std::string& log) {
  static const std::regex kWrite(
      R"((O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|\bcreat\(|\bmkdir(at)?\(|\brename(at2?)?\(|\bunlink(at)?\(|\blink(at)?\(|\bsymlink(at)?\(|\btruncate\())");
  std::vector<std::string> out;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);)
    if (std::regex_search(line, kWrite) && line.find("= -1") == std::string::npos)
      out.push_back(line);
  return out;
}

spawn_result under_strace(const std::string& log, std::vector<std::string> cmd,
                          std::map<std::string, std::string> env) {
  std::vector<std::string> argv = {
      "/usr/bin/strace",
      "-f",
      "-qq",
      "-o",
      log,
      "-e",
      "trace=open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,"
      "renameat2,unlink,unlinkat,link,linkat,symlink,symlinkat,truncate"};
  argv.insert(argv.end(), cmd.begin(), cmd.end());
  return run_process({.argv = argv, .env = std::move(env)});
}

TEST(NoDisk, TheLauncherOpensNoFileForWritingAndCreatesNone) {
  if (access("/usr/bin/strace", X_OK) != 0)
    GTEST_SKIP() << "strace is not installed (scripts/test installs it)";
  fixture f;
  temp_dir logs;
  // First prove that the detector sees a write when there is one.
  std::string probe_log = logs.path() + "/probe.log";
  auto probe =
      under_strace(probe_log, {"/bin/sh", "-c", "echo x > " + logs.path() + "/written"}, f.env);
  ASSERT_EQ(probe.exit_code, 0) << probe.err;
  ASSERT_FALSE(disk_writes(slurp(probe_log)).empty()) << "the strace check cannot see writes";

  std::string log = logs.path() + "/launch.log";
  auto r = under_strace(
      log, {launcher_path(), "-c", f.cfg, "--log-level", "trace", "--", "/bin/true"}, f.env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string trace = slurp(log);
  ASSERT_NE(trace.find("api_key"), std::string::npos) << "the trace did not see the resolution";
  auto writes = disk_writes(trace);
  EXPECT_TRUE(writes.empty()) << writes.front();
}

void expect_no_secret(const std::string& text, const std::string& where) {
  for (const auto& s : {kFileSecret, kEnvSecret, std::string("json-secret-Tr5yU8iO0pA3")})
    EXPECT_EQ(text.find(s), std::string::npos) << where << " holds a secret:\n" << text;
}

TEST(NoLeak, TraceLogsInTextAndJsonHoldNoValue) {
  fixture f;
  for (const char* format : {"text", "json"}) {
    auto r =
        run_process({.argv = {launcher_path(), "-c", f.cfg, "--log-level", "trace", "--log-format",
                              format, "--", "sh", "-c", "echo \"$API_KEY\" >&2; exit 3"},
                     .env = f.env});
    EXPECT_EQ(r.exit_code, 3);
    // The child itself printed the secret to stderr; the launcher's lines must not hold it.
    std::string launcher_lines;
    std::istringstream in(r.err);
    for (std::string line; std::getline(in, line);) {
      if (line == kFileSecret) continue;
      launcher_lines += line + "\n";
      if (std::string(format) == "json") {
        auto obj = nlohmann::json::parse(line, nullptr, false);
        EXPECT_FALSE(obj.is_discarded()) << line;
      }
    }
    EXPECT_NE(launcher_lines.find("resolved"), std::string::npos) << launcher_lines;
    expect_no_secret(launcher_lines, std::string("stderr (") + format + ")");
    EXPECT_EQ(r.out, "");
  }
}

TEST(NoLeak, TheRedactorSitsInFrontOfEveryLogLine) {
  // A value that happens to equal text the launcher logs (here, the command's name) is
  // masked: the last line of defence is wired in, in text and in JSON.
  for (const char* format : {"text", "json"}) {
    auto r = run_process({.argv = {launcher_path(), "--log-format", format, "--", "/bin/true"},
                          .env = base_env({{"X", "{{ env.V }}"}, {"V", "/bin/true"}})});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.err.find("starting ***: 1 reference"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("/bin/true"), std::string::npos) << r.err;
  }
}

TEST(NoLeak, FailuresNameReferencesNotValues) {
  fixture f;
  auto env = f.env;
  env["BAD"] = "{{ secrets.creds.[api_key#field] }}";   // not JSON
  env["BAD2"] = "{{ secrets.creds.[db.json#nokey] }}";  // no such key
  auto r = run_process(
      {.argv = {launcher_path(), "-c", f.cfg, "--log-level", "trace", "--", "true"}, .env = env});
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_NE(r.err.find("{{ secrets.creds.[api_key#field] }}: store 'creds': selector '#field': the "
                       "secret is not JSON"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("no key 'nokey' (keys: password, user)"), std::string::npos) << r.err;
  expect_no_secret(r.err, "stderr");
}

TEST(NoLeak, CheckPrintsLengthsNeverValues) {
  fixture f;
  auto r =
      run_process({.argv = {launcher_path(), "check", "-c", f.cfg, "--", "true"}, .env = f.env});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("{{ secrets.creds.[api_key] }}  store=creds  ok  "), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("length=" + std::to_string(kFileSecret.size())), std::string::npos) << r.out;
  expect_no_secret(r.out + r.err, "check");
  auto j = run_process(
      {.argv = {launcher_path(), "check", "--json", "-c", f.cfg, "--", "true"}, .env = f.env});
  auto doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["exit_code"], 0);
  EXPECT_EQ(doc["references"].size(), 4u);
  for (const auto& row : doc["references"]) EXPECT_EQ(row["status"], "ok") << row.dump();
  expect_no_secret(j.out, "check --json");
}

TEST(Read, PrintsValuesForScripts) {
  fixture f;
  auto r = run_process({.argv = {launcher_path(), "read", "-c", f.cfg, "secrets.creds.db_password",
                                 "{{ env.RAW_SECRET }}"},
                        .env = f.env});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "json-secret-Tr5yU8iO0pA3\n" + kEnvSecret + "\n");
  // Every reference as given, in order, the same one twice included.
  auto j = run_process(
      {.argv = {launcher_path(), "read", "--json", "-c", f.cfg, "secrets.creds.[api_key]",
                "{{ env.RAW_SECRET }}", "secrets.creds.[api_key]"},
       .env = f.env});
  EXPECT_EQ(nlohmann::json::parse(j.out),
            nlohmann::json::parse(R"([{"reference": "secrets.creds.[api_key]", "value": ")" +
                                  kFileSecret + R"("}, {"reference": "{{ env.RAW_SECRET }}",
                                  "value": ")" +
                                  kEnvSecret + R"("}, {"reference":
                                  "secrets.creds.[api_key]", "value": ")" +
                                  kFileSecret + R"("}])"));
  // A bad reference is a configuration error, its column counted in the text as typed.
  auto typo = run_process(
      {.argv = {launcher_path(), "read", "-c", f.cfg, "secrets.creds.[api_key"}, .env = f.env});
  EXPECT_EQ(typo.exit_code, 78);
  EXPECT_NE(typo.err.find("'secrets.creds.[api_key': column 15: unterminated '['"),
            std::string::npos)
      << typo.err;
  auto bad = run_process(
      {.argv = {launcher_path(), "read", "-c", f.cfg, "secrets.creds.[nope]"}, .env = f.env});
  EXPECT_EQ(bad.exit_code, 78);
  EXPECT_EQ(bad.out, "");
}

TEST(Stdout, BelongsToTheChildAlone) {
  fixture f;
  auto r = run_process(
      {.argv = {launcher_path(), "-c", f.cfg, "--log-level", "trace", "--", "true"}, .env = f.env});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err, "");
}

}  // namespace
}  // namespace mcpl::test
