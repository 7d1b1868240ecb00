// Where configuration comes from (DESIGN §2, §3), through the built binary.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "tests/support/spawn.hpp"

namespace mcpl::test {
namespace {

std::string server(const std::string& word) {
  return R"({"mcpServers": {"s": {"command": "echo", "args": [")" + word + R"("]}}})";
}

TEST(ConfigFiles, XdgThenHomeConfigByDefault) {
  temp_dir home;
  home.write(".config/mcp-launch/config.json", server("from-home"));
  auto r = run_launcher({"--server", "s"}, base_env({{"HOME", home.path()}}));
  EXPECT_EQ(r.out, "from-home\n") << r.err;
  temp_dir xdg;
  xdg.write("mcp-launch/config.json", server("from-xdg"));
  auto x = run_launcher({"--server", "s"},
                        base_env({{"HOME", home.path()}, {"XDG_CONFIG_HOME", xdg.path()}}));
  EXPECT_EQ(x.out, "from-xdg\n") << x.err;
}

TEST(ConfigFiles, ListInEnvironmentMergesByNameLaterWins) {
  temp_dir dir;
  std::string a = dir.write("a.json", R"({"mcpServers": {"s": {"command": "echo", "args": ["a"]},
                                                          "only_a": {"command": "echo", "args": ["only-a"]}}})");
  std::string b = dir.write("b.json", server("b"));
  auto env = base_env({{"MCP_LAUNCH_CONFIG", a + ":" + b}});
  EXPECT_EQ(run_launcher({"--server", "s"}, env).out, "b\n");
  EXPECT_EQ(run_launcher({"--server", "only_a"}, env).out, "only-a\n");
  // -c replaces the environment's list; repeated -c merge the same way.
  EXPECT_EQ(run_launcher({"-c", b, "-c", a, "--server", "s"}, env).out, "a\n");
  // An inline config is read last and wins.
  env["MCP_LAUNCH_CONFIG_JSON"] = server("inline");
  EXPECT_EQ(run_launcher({"--server", "s"}, env).out, "inline\n");
}

TEST(ConfigFiles, TyposAreSaidWithTheClosestNameAndAClientsOwnKeysAreNot) {
  temp_dir dir;
  temp_dir creds;
  chmod(creds.path().c_str(), 0700);
  creds.write("t", "v");
  std::string cfg = dir.write("c.json", R"({"mcpServers": {"s": {"command": "echo", "args": ["ok"],
      "alwaysAllow": ["x"], "enviroment": {}}, "other": {"command": "x", "cwdd": "/"}},
      "secretStores": [{"name": "f", "type": "file",
        "configuration": {"directory": ")" + creds.path() +
                                            R"(", "directroy": "/x"},
        "mapings": [{"name": "m", "secretIdentifier": "t"}]}],
      "theme": "dark"})");
  auto r = run_launcher({"-c", cfg, "--server", "s"}, base_env());
  EXPECT_EQ(r.out, "ok\n");
  EXPECT_NE(r.err.find("warn: " + cfg +
                       ": mcpServers.s.enviroment: unknown field (did you mean 'env'?), ignored"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("secretStores[0].configuration.directroy: unknown field (did you mean "
                       "'directory'?)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("secretStores[0].mapings: unknown field (did you mean 'mappings'?)"),
            std::string::npos)
      << r.err;
  // A client's own keys, and another server's fields, are not ours to judge.
  EXPECT_EQ(r.err.find("alwaysAllow"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("theme"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("cwdd"), std::string::npos) << r.err;
}

TEST(ConfigFiles, RealClientFilesWithCommentsAndOtherServersLaunchTheOneAskedFor) {
  temp_dir dir;
  // Zed's settings.json: JSONC, an extension's server, a disabled one, a malformed neighbour.
  std::string zed = dir.write("settings.json", R"(// Zed settings
{
  "theme": "One Dark",
  "context_servers": {
    "postgres": { "source": "extension", "settings": { "database_url": "x" } },
    "old": { "command": "x", "disabled": true, },
    "broken": { "command": 42 },
    "mine": {
      "source": "custom",
      "command": "echo",
      "args": ["from-zed"], // trailing commas too
    },
  },
})");
  auto r = run_launcher({"-c", zed, "--server", "mine"}, base_env());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "from-zed\n");
  // Asked for by name, each says why it cannot be launched.
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"postgres", "a Zed extension's server"},
      {"old", "the client has it disabled"},
      {"broken", "context_servers.broken.command: expected a string, found number"}};
  for (const auto& [name, why] : refused) {
    auto bad = run_launcher({"-c", zed, "--server", name}, base_env());
    EXPECT_EQ(bad.exit_code, 78) << name;
    EXPECT_NE(bad.err.find(why), std::string::npos) << bad.err;
    EXPECT_EQ(bad.out, "");
  }
  // VS Code's .vscode/mcp.json: JSONC, inputs, a remote neighbour, ${env:…} and ${input:…}.
  std::string vscode = dir.write("mcp.json", R"({
  // Inputs are prompted by VS Code itself.
  "inputs": [{ "type": "promptString", "id": "api-key", "password": true }],
  "servers": {
    "remote": { "type": "http", "url": "https://mcp.example.com/mcp" },
    "asks": { "type": "stdio", "command": "echo", "args": ["${input:api-key}"] },
    "local": {
      "type": "stdio",
      "command": "echo",
      "args": ["${env:TEAM}", /* the team */ "{{ env.TEAM }}",],
    },
  },
})");
  auto local = run_launcher({"-c", vscode, "--server", "local"}, base_env({{"TEAM", "acme"}}));
  EXPECT_EQ(local.exit_code, 0) << local.err;
  EXPECT_EQ(local.out, "acme acme\n");
  auto asks = run_launcher({"-c", vscode, "--server", "asks"}, base_env());
  EXPECT_EQ(asks.exit_code, 78);
  EXPECT_NE(asks.err.find("input 'api-key' is asked by the MCP client"), std::string::npos)
      << asks.err;
}

TEST(ConfigFiles, LogLevelFromEnvironment) {
  auto quiet = run_launcher({"--", "true"}, base_env({{"MCP_LAUNCH_LOG", "off"}}));
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.err, "");
  auto normal = run_launcher({"--", "true"}, base_env());
  EXPECT_EQ(normal.err, "mcp-launch: info: starting true: no references\n");
  // The option wins over the variable.
  auto loud =
      run_launcher({"--log-level", "info", "--", "true"}, base_env({{"MCP_LAUNCH_LOG", "off"}}));
  EXPECT_EQ(loud.err, normal.err);
}

TEST(Check, ReportsFailuresWithTheLaunchExitCodeAndStartsNothing) {
  temp_dir dir;
  std::string cfg = dir.write("c.json", R"({"mcpServers": {"s": {"command": "sh",
      "args": ["-c", "echo STARTED"], "env": {"A": "{{ env.SET }}", "B": "{{ env.UNSET }}"}}}})");
  auto r = run_launcher({"check", "-c", cfg, "--server", "s"}, base_env({{"SET", "value-of-set"}}));
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(r.out.find("STARTED"), std::string::npos);
  EXPECT_NE(r.out.find("{{ env.SET }}  store=env  ok  "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{{ env.UNSET }}  store=env  configuration error  "), std::string::npos)
      << r.out;
  auto j = run_launcher({"check", "--json", "-c", cfg, "--server", "s"},
                        base_env({{"SET", "value-of-set"}}));
  auto doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["exit_code"], 78);
  EXPECT_EQ(doc["references"][1]["status"], "configuration error");
  EXPECT_EQ(doc["references"][1]["error"], "store 'env': environment variable UNSET is not set");
  EXPECT_EQ(j.out.find("value-of-set"), std::string::npos);
}

// As sshd's StrictModes: a config file someone else can change can send the credentials
// anywhere, so the launch stops before anything is read from it.
TEST(ConfigFiles, AFileOthersCanChangeIsRefused) {
  const std::string body = R"({"mcpServers": {"s": {"command": "echo", "args": ["started"]}}})";
  auto launch = [](const std::string& cfg) {
    return run_process({.argv = {launcher_path(), "-c", cfg, "--server", "s"}, .env = base_env()});
  };
  auto expect_refused = [&](const std::string& cfg, const std::string& why) {
    auto r = launch(cfg);
    EXPECT_EQ(r.exit_code, 78) << cfg << "\n" << r.err;
    EXPECT_EQ(r.out, "") << "nothing starts";
    EXPECT_NE(r.err.find("config file " + cfg + " " + why), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  };
  temp_dir dir;
  std::string cfg = dir.write("c.json", body, 0620);
  expect_refused(cfg, "is writable by group or others");
  EXPECT_NE(launch(cfg).err.find("chmod go-w " + cfg), std::string::npos);
  chmod(cfg.c_str(), 0602);
  expect_refused(cfg, "is writable by group or others");
  chmod(cfg.c_str(), 0644);
  EXPECT_EQ(launch(cfg).out, "started\n");

  chmod(dir.path().c_str(), 0777);  // anyone could replace the file
  expect_refused(cfg, "is in " + dir.path() + ", which group or others can write");
  chmod(dir.path().c_str(), 01777);  // a sticky directory, as /tmp: only the owner may replace it
  EXPECT_EQ(launch(cfg).out, "started\n") << launch(cfg).err;
  if (geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
  ASSERT_EQ(chown(cfg.c_str(), 65534, 65534), 0);
  expect_refused(cfg, "belongs to another user (uid 65534)");
  chmod(dir.path().c_str(), 0755);
  expect_refused(cfg, "belongs to another user (uid 65534)");
  ASSERT_EQ(chown(cfg.c_str(), 0, 0), 0);
  ASSERT_EQ(chown(dir.path().c_str(), 65534, 65534), 0);  // its directory is someone else's
  expect_refused(cfg, "is in " + dir.path() + ", which belongs to another user");
  ASSERT_EQ(chown(dir.path().c_str(), 0, 0), 0);
}

}  // namespace
}  // namespace mcpl::test
