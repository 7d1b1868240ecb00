// What a new user meets first (issue: first-run experience): values from files with a line
// break, mistakes that used to pass in silence, and commands that must say what to do.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

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
  auto env = t.env(
      {{"A", "{{ secrets.file.github_token }}"}, {"B", "{{ secrets.file.github_token | trim }}"}});
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

TEST(FirstRun, TextThatLooksLikeAReferenceIsSaid) {
  echoed_token t;
  for (const char* text : {"{{ secret.file.github_token }}", "{{ Secrets.file.github_token }}",
                           "{ secrets.file.github_token }", "Bearer {{ ENV.HOME }}"}) {
    auto r = run_launcher({"--", "sh", "-c", "printf '%s' \"$T\""}, t.env({{"T", text}}));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, text) << "passed on as it is";
    EXPECT_NE(r.err.find("warn: environment variable T: '"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("is not a reference and is passed on as it is"), std::string::npos)
        << r.err;
  }
  // Other template languages stay quiet.
  for (const char* text : {"{{ .Values.token }}", "{\"a\": 1}", "{{ user.name }}"}) {
    auto r = run_launcher({"--", "true"}, t.env({{"T", text}}));
    EXPECT_EQ(r.err.find("warn"), std::string::npos) << text << ": " << r.err;
  }
}

TEST(FirstRun, KeepEnvThatKeepsNothingIsSaid) {
  temp_dir creds;
  creds.write("t", "v");
  temp_dir conf;
  std::string cfg = conf.write("c.json", R"({"secretStores": [{"name": "c", "type": "file",
      "configuration": {"directory": "{{ env.CREDS }}"}}]})");
  auto env = base_env({{"CREDS", creds.path()}, {"T", "{{ secrets.c.[t] }}"}});
  auto comma = run_launcher({"-c", cfg, "--keep-env", "CREDS,HOME", "--", "true"}, env);
  EXPECT_NE(comma.err.find("--keep-env 'CREDS,HOME' names one variable; repeat the option"),
            std::string::npos)
      << comma.err;
  auto idle = run_launcher({"-c", cfg, "--keep-env", "HOME", "--", "true"}, env);
  EXPECT_NE(idle.err.find("--keep-env HOME: the launcher did not consume HOME"), std::string::npos)
      << idle.err;
  auto used = run_launcher({"-c", cfg, "--keep-env", "CREDS", "--", "true"}, env);
  EXPECT_EQ(used.err.find("--keep-env"), std::string::npos) << used.err;
}

TEST(FirstRun, ClientVariablesAndShellFormsSayWhatToDo) {
  temp_dir dir;
  std::string cfg = dir.write("c.json", R"({"mcpServers": {
      "ws": {"command": "echo", "args": ["${workspaceFolder}"]},
      "shell": {"command": "echo", "args": ["${HOME-x}"]},
      "escaped": {"command": "echo", "args": ["$${workspaceFolder}", "${HOME}"]}}})");
  auto ws = run_launcher({"-c", cfg, "--server", "ws"});
  EXPECT_EQ(ws.exit_code, 78);
  EXPECT_NE(ws.err.find("mcpServers.ws.args[0]: ${workspaceFolder} is a variable of the MCP "
                        "client"),
            std::string::npos)
      << ws.err;
  auto shell = run_launcher({"-c", cfg, "--server", "shell"});
  EXPECT_EQ(shell.exit_code, 78);
  EXPECT_NE(shell.err.find("the forms read are ${NAME}, ${NAME:-default} and ${env:NAME}"),
            std::string::npos)
      << shell.err;
  auto escaped = run_launcher({"-c", cfg, "--server", "escaped"});
  EXPECT_EQ(escaped.exit_code, 0) << escaped.err;
  EXPECT_EQ(escaped.out, "${workspaceFolder} /nonexistent-home\n");
}

TEST(FirstRun, ForgettingTheDoubleDashSaysWhereItGoes) {
  auto r = run_launcher({"npx", "-y", "@modelcontextprotocol/server-github"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(r.err,
            "mcp-launch: error: put -- before the command: mcp-launch [OPTIONS] -- npx -y "
            "@modelcontextprotocol/server-github (everything after -- is the command's)\n");
  auto twice = run_launcher({"--timeout", "1s", "--timeout", "2s", "--", "true"});
  EXPECT_EQ(twice.exit_code, 64);
  EXPECT_EQ(twice.err, "mcp-launch: error: --timeout is given more than once; give it once\n");
}

// Every option the help lists is one the parser takes, in that mode, and nothing else.
TEST(FirstRun, HelpListsWhatEachCommandTakes) {
  auto main_help = run_launcher({"--help"});
  EXPECT_EQ(main_help.exit_code, 0);
  EXPECT_NE(main_help.out.find("--supervise"), std::string::npos);
  EXPECT_NE(main_help.out.find("--exec"), std::string::npos);
  EXPECT_NE(main_help.out.find("-c,--config FILE "), std::string::npos) << main_help.out;
  EXPECT_NE(main_help.out.find("repeatable"), std::string::npos);
  EXPECT_EQ(main_help.out.find("FILE ..."), std::string::npos) << "one file per -c";
  auto check_help = run_launcher({"check", "--help"});
  EXPECT_NE(check_help.out.find("-- COMMAND [ARG...]"), std::string::npos) << check_help.out;
  auto read_help = run_launcher({"read", "--help"});
  for (const char* absent : {"--keep-env", "--template-env", "--server"})
    EXPECT_EQ(read_help.out.find(absent), std::string::npos) << absent;
  EXPECT_EQ(run_launcher({"read", "--keep-env", "X", "env.HOME"}).exit_code, 64);
  // --quiet, and --dry-run for check.
  auto quiet = run_launcher({"--quiet", "--", "true"});
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.err, "") << "--quiet is --log-level error";
  auto dry = run_launcher({"--dry-run", "--", "sh", "-c", "echo started"},
                          base_env({{"T", "{{ env.HOME }}"}}));
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("{{ env.HOME }}  store=env  ok"), std::string::npos) << dry.out;
  EXPECT_EQ(dry.out.find("started"), std::string::npos) << "nothing starts";
}

TEST(FirstRun, ListShowsFilesServersAndStores) {
  temp_dir dir;
  std::string cfg = dir.write("c.json", R"({"mcpServers": {"github": {"command": "npx",
        "args": ["--token=inline-secret-value"]}, "bad": {"command": 1}},
      "secretStores": [{"name": "vault", "type": "hashicorp_vault",
        "configuration": {"address": "https://vault.example"},
        "mappings": [{"name": "gh", "secretIdentifier": "mcp/github"}]}]})");
  auto r = run_launcher({"list", "-c", cfg});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("files:\n  " + cfg + "\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  github  stdio  " + cfg + "\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  bad  skipped  " + cfg + ": mcpServers.bad.command"), std::string::npos);
  EXPECT_NE(r.out.find("  vault  hashicorp_vault  " + cfg + "  mappings: gh\n"), std::string::npos);
  EXPECT_NE(r.out.find("  env  env  built in\n"), std::string::npos);
  EXPECT_EQ(r.out.find("inline-secret-value"), std::string::npos) << "no command line shown";
  auto j = run_launcher({"list", "--json", "-c", cfg});
  auto doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["files"][0], cfg);
  EXPECT_EQ(doc["servers"].size(), 2u);
  EXPECT_EQ(doc["stores"].size(), 3u);
}

TEST(FirstRun, CompletionsComeFromTheOptionTable) {
  auto bash = run_launcher({"completion", "bash"});
  ASSERT_EQ(bash.exit_code, 0) << bash.err;
  temp_dir dir;
  std::string script = dir.write("mcp-launch.bash", bash.out);
  // Complete `mcp-launch check --t` and `mcp-launch --log-level d` in a real bash.
  auto r = run_process({.argv = {"/bin/bash", "-c",
                                 "source \"$1\"; COMP_WORDS=(mcp-launch check --t); COMP_CWORD=2; "
                                 "_mcp_launch; echo \"${COMPREPLY[*]}\"; "
                                 "COMP_WORDS=(mcp-launch --log-level d); COMP_CWORD=2; "
                                 "_mcp_launch; echo \"${COMPREPLY[*]}\"; "
                                 "COMP_WORDS=(mcp-launch read --); COMP_CWORD=2; "
                                 "_mcp_launch; echo \"${COMPREPLY[*]}\"",
                                 "bash", script},
                        .env = base_env()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "--transport --timeout --template-env\ndebug\n--config --timeout --log-level --quiet "
            "--log-format --json --help\n");
  auto zsh = run_launcher({"completion", "zsh"});
  ASSERT_EQ(zsh.exit_code, 0);
  EXPECT_TRUE(zsh.out.starts_with("#compdef mcp-launch\n"));
  EXPECT_NE(zsh.out.find("'*--template-env:NAME:'"), std::string::npos) << zsh.out;
  if (access("/usr/bin/zsh", X_OK) == 0) {
    std::string z = dir.write("_mcp-launch", zsh.out);
    EXPECT_EQ(run_process({.argv = {"/usr/bin/zsh", "-n", z}, .env = base_env()}).exit_code, 0);
  }
}

TEST(FirstRun, CheckReportsEveryReferenceWhereItStandsInConfigOrder) {
  temp_dir creds;
  chmod(creds.path().c_str(), 0700);
  creds.write("ok", "fine-value");
  temp_dir dir;
  std::string cfg = dir.write("c.json", R"({
    "secretStores": [{"name": "f", "type": "file", "configuration": {"directory": ")" +
                                            creds.path() + R"("}}],
    "mcpServers": {"s": {"command": "true", "env": {
      "Z_FIRST": "{{ secrets.f.[ok] }}",
      "A_UNKNOWN": "{{ secrets.nope.[x] }}",
      "M_MISSING": "{{ secrets.f.[missing] }}"}},
      "t": {"command": "true"}}})");
  auto r = run_launcher({"check", "-c", cfg, "--server", "s"});
  EXPECT_EQ(r.exit_code, 78) << r.err;
  std::istringstream lines(r.out);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 3u) << r.out;
  EXPECT_TRUE(rows[0].starts_with("{{ secrets.f.[ok] }}  store=f  ok")) << rows[0];
  EXPECT_TRUE(rows[0].ends_with("  in " + cfg + ": mcpServers.s.env.Z_FIRST")) << rows[0];
  EXPECT_TRUE(rows[1].starts_with("{{ secrets.nope.[x] }}  store=  configuration error"))
      << rows[1];
  EXPECT_NE(rows[1].find("unknown store 'nope'"), std::string::npos) << rows[1];
  EXPECT_TRUE(rows[2].starts_with("{{ secrets.f.[missing] }}  store=f  not found")) << rows[2];
  auto j = run_launcher({"check", "--json", "-c", cfg, "--server", "s"});
  auto doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["exit_code"], 78);
  ASSERT_EQ(doc["references"].size(), 3u);
  EXPECT_EQ(doc["references"][1]["where"], cfg + ": mcpServers.s.env.A_UNKNOWN");
  EXPECT_EQ(doc["references"][1]["exit_code"], 78);
  // Without a target, the servers; with --all, each of them.
  auto listed = run_launcher({"check", "-c", cfg});
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_EQ(listed.out, "servers: s t\ncheck one with --server NAME, or every one with --all\n");
  auto all = run_launcher({"check", "--all", "-c", cfg});
  EXPECT_EQ(all.exit_code, 78);
  EXPECT_NE(all.out.find("== s (exit 78)\n"), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("== t (exit 0)\nno references\n"), std::string::npos) << all.out;
  auto all_json = nlohmann::json::parse(run_launcher({"check", "--all", "--json", "-c", cfg}).out);
  EXPECT_EQ(all_json["servers"].size(), 2u);
  // The launch names the field of each failure too.
  auto launched = run_launcher({"-c", cfg, "--server", "s"});
  EXPECT_EQ(launched.exit_code, 78);
  EXPECT_NE(launched.err.find(cfg + ": mcpServers.s.env.A_UNKNOWN: column 1: unknown store 'nope'"),
            std::string::npos)
      << launched.err;
}

}  // namespace
}  // namespace mcpl::test
