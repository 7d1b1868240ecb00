// Which strings are templates (DESIGN §2): in wrap mode the inherited environment (all of
// it, or what --template-env names), with --server only the definition's own fields; and a
// consumed credential never reaches the child under another name unless kept (§6).
#include <gtest/gtest.h>

#include "tests/support/spawn.hpp"

namespace mcpl::test {
namespace {

// A file store whose directory comes from CREDS_DIR: reading it consumes that variable.
struct consuming_store {
  temp_dir creds;
  temp_dir conf;
  std::string cfg;
  consuming_store() {
    creds.write("token", "tok-value-123");
    cfg = conf.write("c.json", R"({"secretStores": [{"name": "creds", "type": "file",
        "configuration": {"directory": "{{ env.CREDS_DIR }}"}}],
      "mcpServers": {
        "plain": {"command": "sh", "args": ["-c", "printf '%s' \"$BRANCH\""]},
        "dollar": {"command": "sh", "args": ["-c", "echo ${CREDS_DIR}"],
                   "env": {"T": "{{ secrets.creds.[token] }}"}}}})");
  }
  std::map<std::string, std::string> env(std::map<std::string, std::string> extra = {}) const {
    extra["CREDS_DIR"] = creds.path();
    return base_env(extra);
  }
};

TEST(Templates, WithServerTheInheritedEnvironmentPassesAsItIs) {
  consuming_store s;
  // A branch name an attacker chose, in a variable the launcher inherits (CI's GITHUB_HEAD_REF).
  auto r = run_launcher({"-c", s.cfg, "--server", "plain"},
                        s.env({{"BRANCH", "{{ secrets.creds.[token] }}"}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{{ secrets.creds.[token] }}");
  EXPECT_NE(r.err.find("no references"), std::string::npos) << r.err;
}

TEST(Templates, WithServerOtherDefinitionsAreNotResolved) {
  // The neighbour's reference would fail (78) if it were resolved, and so would the broken
  // template in an unrelated variable.
  const std::string inline_cfg = R"({"mcpServers": {
      "mine": {"command": "sh", "args": ["-c", "printf ok"]},
      "other": {"command": "x", "env": {"K": "{{ file.[/nonexistent/key] }}"}}}})";
  auto r =
      run_launcher({"--server", "mine"},
                   base_env({{"MCP_LAUNCH_CONFIG_JSON", inline_cfg}, {"JUNK", "{{ secrets.nope"}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok");
}

TEST(Templates, WrapModeDoesNotResolveTheInlineConfiguration) {
  const std::string inline_cfg =
      R"({"mcpServers": {"other": {"command": "x", "env": {"K": "{{ file.[/nonexistent/k] }}"}}}})";
  auto r = run_launcher(
      {"--", "sh", "-c", "printf '%s' \"$A\""},
      base_env({{"MCP_LAUNCH_CONFIG_JSON", inline_cfg}, {"A", "{{ env.B }}"}, {"B", "from-b"}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "from-b");
}

TEST(Templates, TemplateEnvLimitsWhichInheritedVariablesAreTemplates) {
  auto env = base_env({{"GH_TOKEN", "{{ env.SRC }}"},
                       {"GH_OTHER", "{{ env.SRC }}"},
                       {"BRANCH", "{{ env.SRC }}"},
                       {"SRC", "value"}});
  const std::string show = "printf '%s|%s|%s' \"$GH_TOKEN\" \"$GH_OTHER\" \"$BRANCH\"";
  auto all = run_launcher({"--", "sh", "-c", show}, env);
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(all.out, "value|value|value");
  auto prefix = run_launcher({"--template-env", "GH_*", "--", "sh", "-c", show}, env);
  ASSERT_EQ(prefix.exit_code, 0) << prefix.err;
  EXPECT_EQ(prefix.out, "value|value|{{ env.SRC }}");
  auto named = run_launcher(
      {"--template-env", "GH_TOKEN", "--template-env", "NONE", "--", "sh", "-c", show}, env);
  ASSERT_EQ(named.exit_code, 0) << named.err;
  EXPECT_EQ(named.out, "value|{{ env.SRC }}|{{ env.SRC }}");
  // A malformed template outside the filter is not read at all.
  env["BROKEN"] = "{{ secrets.";
  EXPECT_EQ(run_launcher({"--template-env", "GH_*", "--", "true"}, env).exit_code, 0);
  EXPECT_EQ(run_launcher({"--", "true"}, env).exit_code, 78);
  for (const char* bad : {"G*H", "*", ""}) {
    auto r = run_launcher({"--template-env", bad, "--", "true"}, env);
    EXPECT_EQ(r.exit_code, 64) << bad;
    EXPECT_NE(r.err.find("--template-env"), std::string::npos) << r.err;
  }
}

TEST(Templates, AConsumedCredentialIsNotHandedOnUnderAnotherName) {
  consuming_store s;
  struct attempt {
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::string where;
  };
  const std::vector<attempt> attempts = {
      {{"-c", s.cfg, "--", "sh", "-c", "echo \"$X\""},
       {{"X", "{{ env.CREDS_DIR }}"}, {"T", "{{ secrets.creds.[token] }}"}},
       "environment variable X: {{ env.CREDS_DIR }} would hand CREDS_DIR"},
      {{"-c", s.cfg, "--", "sh", "-c", "echo \"$X\""},
       {{"X", "{{ secrets.env.CREDS_DIR }}"}, {"T", "{{ secrets.creds.[token] }}"}},
       "environment variable X: {{ secrets.env.CREDS_DIR }} would hand CREDS_DIR"},
      {{"-c", s.cfg, "--server", "dollar"},
       {},
       "mcpServers.dollar.args[1]: ${CREDS_DIR} would hand"},
  };
  for (const auto& a : attempts) {
    auto r = run_launcher(a.args, s.env(a.env));
    EXPECT_EQ(r.exit_code, 78) << r.err;
    EXPECT_NE(r.err.find(a.where), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--keep-env CREDS_DIR"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "") << "nothing started";
    EXPECT_EQ(r.err.find(s.creds.path()), std::string::npos) << r.err;
    auto args = a.args;
    args.insert(args.begin() + 2, {"--keep-env", "CREDS_DIR"});
    auto kept = run_launcher(args, s.env(a.env));
    EXPECT_EQ(kept.exit_code, 0) << kept.err;
    EXPECT_EQ(kept.out, s.creds.path() + "\n");
  }
  // `check` exits as the launch would.
  auto c = run_launcher({"check", "-c", s.cfg, "--server", "dollar"}, s.env());
  EXPECT_EQ(c.exit_code, 78) << c.err;
  // Unused, the store consumes nothing, and the variable may be handed on.
  auto unused =
      run_launcher({"--", "sh", "-c", "echo \"$X\""}, s.env({{"X", "{{ env.CREDS_DIR }}"}}));
  EXPECT_EQ(unused.exit_code, 0) << unused.err;
}

TEST(Templates, AReferenceInTheCommandOrAnArgumentWarnsOfPs) {
  // Arguments are readable by every user (ps, /proc/PID/cmdline): a reference in COMMAND
  // itself, or in an ARG, works but warns; one in the environment does not.
  temp_dir bin;
  std::string tool = bin.write("tool-abcdef", "#!/bin/sh\necho ran \"$@\"\n", 0755);
  const std::string warning = "a reference in COMMAND or an ARG puts a secret where every user";
  auto in_command = run_launcher({"--", "{{ env.TOOL }}"}, base_env({{"TOOL", tool}}));
  EXPECT_EQ(in_command.exit_code, 0) << in_command.err;
  EXPECT_EQ(in_command.out, "ran\n");
  EXPECT_NE(in_command.err.find(warning), std::string::npos) << in_command.err;
  auto in_arg = run_launcher({"--", "echo", "{{ env.V }}"}, base_env({{"V", "value-1"}}));
  EXPECT_EQ(in_arg.out, "value-1\n");
  EXPECT_NE(in_arg.err.find(warning), std::string::npos) << in_arg.err;
  auto in_env = run_launcher({"--", "sh", "-c", "echo \"$T\""},
                             base_env({{"V", "value-2"}, {"T", "{{ env.V }}"}}));
  EXPECT_EQ(in_env.out, "value-2\n");
  EXPECT_EQ(in_env.err.find(warning), std::string::npos) << in_env.err;
}

}  // namespace
}  // namespace mcpl::test
