// Where configuration comes from (DESIGN §2, §3), through the built binary.
#include <gtest/gtest.h>
#include <sys/stat.h>

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

TEST(ConfigFiles, UnknownFieldsAreIgnoredWithADebugLine) {
  temp_dir dir;
  std::string cfg = dir.write("c.json", R"({"mcpServers": {"s": {"command": "echo", "args": ["ok"],
      "alwaysAllow": ["x"]}}, "theme": "dark"})");
  auto r = run_launcher({"-c", cfg, "--log-level", "debug", "--server", "s"}, base_env());
  EXPECT_EQ(r.out, "ok\n");
  EXPECT_NE(r.err.find("debug: " + cfg + ": ignoring unknown field mcpServers.s.alwaysAllow"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("ignoring unknown field theme"), std::string::npos) << r.err;
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

}  // namespace
}  // namespace mcpl::test
