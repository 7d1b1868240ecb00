// The built launcher with real processes: exit codes, exec semantics, signal state, `| file`.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/spawn.hpp"

namespace mcpl::test {
namespace {

// A sanitized launch costs ~0.3 s (the ASan runtime and shared OpenSSL load first): the plain
// build checks every code; the sanitized one the edges, the launcher's own codes and every 16th.
#ifdef __SANITIZE_ADDRESS__
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

bool worth_checking(int code) {
  return !kSanitized || code % 16 == 0 || code <= 2 || (code >= 63 && code <= 79) ||
         (code >= 125 && code <= 129) || code >= 254;
}

TEST(Exec, ChildExitCodesComeBackUnchanged) {
  for (int code = 0; code <= 255; ++code) {
    if (!worth_checking(code)) continue;
    auto r =
        run_launcher({"--log-level", "warn", "--", "sh", "-c", "exit " + std::to_string(code)});
    ASSERT_EQ(r.exit_code, code);
    ASSERT_EQ(r.err, "");
  }
}

TEST(Exec, DeathBySignalIsTheChildsOwn) {
  auto r = run_launcher({"--", "sh", "-c", "kill -TERM $$"});
  EXPECT_EQ(r.term_signal, SIGTERM);
}

TEST(Exec, KeepsThePid) {
  auto r = run_launcher({"--", "sh", "-c", "echo $$"});
  EXPECT_EQ(r.out, std::to_string(r.pid) + "\n");
}

TEST(Exec, NotFoundIs127) {
  auto r = run_launcher({"--", "no-such-command-anywhere"});
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_EQ(r.err,
            "mcp-launch: info: starting no-such-command-anywhere: no references\n"
            "mcp-launch: error: no-such-command-anywhere: command not found\n");
  EXPECT_EQ(run_launcher({"--", "/no/such/file"}).exit_code, 127);
}

TEST(Exec, FoundButNotExecutableIs126AndNoShellIsUsed) {
  temp_dir dir;
  std::string data = dir.write("data", "just data\n", 0644);
  EXPECT_EQ(run_launcher({"--", data}).exit_code, 126);
  // Found on PATH but not executable: 126, as execvp would say EACCES.
  auto r = run_launcher({"--", "data"}, base_env({{"PATH", dir.path()}}));
  EXPECT_EQ(r.exit_code, 126);
  EXPECT_NE(r.err.find("data: Permission denied"), std::string::npos) << r.err;
  // An executable text file without #! would run under /bin/sh with execvp: not here.
  std::string script = dir.write("script", "echo ran\n", 0755);
  auto s = run_launcher({"--", script});
  EXPECT_EQ(s.exit_code, 126);
  EXPECT_EQ(s.out, "");
  EXPECT_NE(s.err.find("not an executable format"), std::string::npos) << s.err;
}

TEST(Exec, LooksUpCommandInTheChildsPath) {
  temp_dir dir;
  dir.write("only-here", "#!/bin/sh\necho found-in-child-path\n", 0755);
  temp_dir conf;
  std::string cfg = conf.write("c.json", R"({"mcpServers": {"s": {"command": "only-here",
      "env": {"PATH": ")" + dir.path() + R"(:/usr/bin:/bin"}}}})");
  auto r = run_launcher({"-c", cfg, "--server", "s"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "found-in-child-path\n");
}

TEST(Exec, SignalMaskAndIgnoredSignalsAreWhatTheLauncherInherited) {
  const std::vector<std::string> probe = {"/bin/grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"};
  struct {
    std::vector<int> blocked, ignored;
  } cases[] = {{{}, {}},  // the launcher ignores SIGPIPE itself: the child must not
               {{SIGUSR1, SIGTERM, SIGCHLD}, {SIGUSR2, SIGHUP, SIGPIPE, SIGINT}}};
  for (const auto& c : cases) {
    spawn_options direct{.argv = probe, .env = base_env()};
    direct.blocked_signals = c.blocked;
    direct.ignored_signals = c.ignored;
    auto expected = run_process(direct);
    ASSERT_EQ(expected.exit_code, 0);
    spawn_options wrapped = direct;
    wrapped.argv = {launcher_path(), "--"};
    wrapped.argv.insert(wrapped.argv.end(), probe.begin(), probe.end());
    auto got = run_process(wrapped);
    ASSERT_EQ(got.exit_code, 0) << got.err;
    EXPECT_EQ(got.out, expected.out);
  }
}

TEST(Exec, FileReferenceIsASealedMemfdTheChildAndGrandchildCanRead) {
  temp_dir creds;
  const std::string secret =
      "line one\nkey-material-0123456789\n";  // exact bytes, trailing newline
  creds.write("sa.json", secret);
  auto env = base_env({{"CREDENTIALS_DIRECTORY", creds.path()},
                       {"KEY_FILE", "{{ secrets.file.[sa.json] | file }}"},
                       {"SAME_FILE", "{{ secrets.file.[sa.json] | file }}"}});
  auto r = run_launcher(
      {"--", "sh", "-c",
       "printf '%s\\n' \"$KEY_FILE\"; cat \"$KEY_FILE\"; sh -c 'cat \"$KEY_FILE\"' & wait;"
       " [ \"$KEY_FILE\" = \"$SAME_FILE\" ] && echo same;"
       " (echo overwrite > \"$KEY_FILE\") 2>/dev/null && echo WRITABLE;"
       " case \"$KEY_FILE\" in /proc/$$/fd/*) echo in-proc;; esac"},
      env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string path = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(r.out, path + "\n" + secret + secret + "same\nin-proc\n");
  EXPECT_EQ(r.err.find("key-material"), std::string::npos);
}

TEST(Exec, SystemdCredentialByNameThroughTheImplicitFileStore) {
  temp_dir creds;  // what LoadCredential=token:... leaves in $CREDENTIALS_DIRECTORY
  creds.write("token", "from-systemd\n");
  auto r = run_launcher(
      {"--", "sh", "-c", "printf '%s|' \"$T\""},
      base_env({{"CREDENTIALS_DIRECTORY", creds.path()}, {"T", "{{ secrets.file.token }}"}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "from-systemd\n|");  // exact bytes, nothing trimmed
}

TEST(Exec, ServerDefinitionEnvCwdAndPassThrough) {
  temp_dir conf;
  std::string cfg = conf.write("c.json", R"({"mcpServers": {"s": {"command": "sh",
      "args": ["-c", "pwd; echo \"$GREETING|$TEMPLATE|$LITERAL\""], "cwd": "/tmp",
      "env": {"GREETING": "hi {{ env.WHO }}", "TEMPLATE": "{{ .Values.x }}",
              "LITERAL": "{{ secrets.env.[NESTED] }}"}}}})");
  auto r = run_launcher({"-c", cfg, "--server", "s"},
                        base_env({{"WHO", "there"}, {"NESTED", "{{ env.WHO }}"}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Values are inserted literally, never expanded again; other templates pass through.
  EXPECT_EQ(r.out, "/tmp\nhi there|{{ .Values.x }}|{{ env.WHO }}\n");
}

TEST(Exec, ConsumedCredentialsDoNotReachTheChildUnlessKept) {
  temp_dir creds;
  creds.write("token", "tok-value-123");
  temp_dir conf;
  std::string cfg = conf.write("c.json", R"({"secretStores": [{"name": "creds", "type": "file",
      "configuration": {"directory": "{{ env.CREDS_DIR }}"}}]})");
  auto env = base_env({{"CREDS_DIR", creds.path()},
                       {"TOKEN", "{{ secrets.creds.[token] }}"},
                       {"MCP_LAUNCH_CONFIG_JSON", R"({"cache": {"ttl": "1s"}})"}});
  const std::string show =
      "echo \"TOKEN=$TOKEN CREDS_DIR=${CREDS_DIR-unset} INLINE=${MCP_LAUNCH_CONFIG_JSON-unset}\"";
  auto r = run_launcher({"-c", cfg, "--", "sh", "-c", show}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "TOKEN=tok-value-123 CREDS_DIR=unset INLINE=unset\n");
  auto kept = run_launcher({"-c", cfg, "--keep-env", "CREDS_DIR", "--", "sh", "-c", show}, env);
  EXPECT_EQ(kept.out, "TOKEN=tok-value-123 CREDS_DIR=" + creds.path() + " INLINE=unset\n");
}

TEST(Exec, ReferenceInArgumentsWorksWithAWarning) {
  auto r = run_launcher({"--", "echo", "{{ env.WHO }}"}, base_env({{"WHO", "visible"}}));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "visible\n");
  EXPECT_NE(r.err.find("warn: a reference in COMMAND or an ARG"), std::string::npos) << r.err;
}

TEST(Exec, TheFileStoreHasAPerUserDirectoryForLaptops) {
  // As Claude Desktop starts a server: PATH and HOME, nothing of systemd.
  temp_dir home;
  home.write(".config/mcp-launch/secrets/github_token", "ghp_fromHome");
  chmod((home.path() + "/.config/mcp-launch/secrets").c_str(), 0700);
  const std::vector<std::string> show = {"--", "sh", "-c", "printf '%s' \"$T\""};
  auto r = run_launcher(
      show, base_env({{"HOME", home.path()}, {"T", "{{ secrets.file.github_token }}"}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ghp_fromHome");
  // $XDG_CONFIG_HOME moves it; $CREDENTIALS_DIRECTORY, where set, wins.
  temp_dir xdg;
  xdg.write("mcp-launch/secrets/github_token", "ghp_fromXdg");
  chmod((xdg.path() + "/mcp-launch/secrets").c_str(), 0700);
  auto x = run_launcher(show, base_env({{"HOME", home.path()},
                                        {"XDG_CONFIG_HOME", xdg.path()},
                                        {"T", "{{ secrets.file.github_token }}"}}));
  EXPECT_EQ(x.out, "ghp_fromXdg") << x.err;
  temp_dir creds;
  creds.write("github_token", "ghp_fromSystemd");
  auto c = run_launcher(show, base_env({{"HOME", home.path()},
                                        {"CREDENTIALS_DIRECTORY", creds.path()},
                                        {"T", "{{ secrets.file.github_token }}"}}));
  EXPECT_EQ(c.out, "ghp_fromSystemd") << c.err;
  // A directory others can open is refused, as ssh refuses ~/.ssh.
  chmod((home.path() + "/.config/mcp-launch/secrets").c_str(), 0755);
  auto open = run_launcher(
      show, base_env({{"HOME", home.path()}, {"T", "{{ secrets.file.github_token }}"}}));
  EXPECT_EQ(open.exit_code, 78);
  EXPECT_NE(open.err.find("group or others can open it: chmod 700 " + home.path() +
                          "/.config/mcp-launch/secrets"),
            std::string::npos)
      << open.err;
  EXPECT_EQ(open.out, "");
}

TEST(Exec, ADefinitionThatLaunchesTheLauncherItselfStopsAtOnce) {
  // "Point mcp-launch at the client's own config": the client's entry, read as a definition,
  // calls mcp-launch --server github, which reads the same entry, and so on.
  temp_dir dir;
  std::string bin = dir.path() + "/bin";
  std::filesystem::create_directories(bin);
  std::filesystem::create_symlink(launcher_path(), bin + "/mcp-launch");
  std::string cfg =
      dir.write("client.json", R"({"mcpServers": {
      "github": {"command": "mcp-launch", "args": ["-c", ")" +
                                   dir.path() + R"(/client.json", "--server", "github"]},
      "direct": {"command": ")" + launcher_path() +
                                   R"(", "args": ["--server", "direct"]}}})");
  // LeakSanitizer cannot run under ptrace: the sanitized launcher would fail at exit.
  auto env = base_env({{"PATH", bin + ":/usr/bin:/bin"}, {"ASAN_OPTIONS", "detect_leaks=0"}});
  for (const char* name : {"github", "direct"}) {
    temp_dir logs;
    std::string log = logs.path() + "/execs";
    // Bounded by timeout(1): a launcher that loops is stopped, and counted.
    auto r = run_process(
        {.argv = {"/usr/bin/timeout", "10", "/usr/bin/strace", "-f", "-qq", "-e", "trace=execve",
                  "-o", log, launcher_path(), "-c", cfg, "--server", name},
         .env = env});
    EXPECT_EQ(r.exit_code, 78) << name << ": " << r.err;
    EXPECT_NE(r.err.find("is mcp-launch itself, so the launch would start it again"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(std::string("`mcp-launch --server ") + name + "`"), std::string::npos);
    std::ifstream in(log);
    int execs = 0;
    for (std::string line; std::getline(in, line);)
      execs += line.find("execve(") != std::string::npos;
    EXPECT_EQ(execs, 1) << name << ": the launcher started again";
  }
}

TEST(Exec, CheckExitsWithTheCodeTheLaunchWouldHave) {
  temp_dir dir;
  std::string script = dir.write("not-executable", "#!/bin/sh\n", 0644);
  std::string cfg = dir.write("c.json", R"({"mcpServers": {
      "missing": {"command": "no-such-server-xyz"},
      "noexec": {"command": ")" + script + R"("},
      "nocwd": {"command": "true", "cwd": "/nonexistent/dir"},
      "self": {"command": ")" + launcher_path() +
                                            R"("},
      "fine": {"command": "true", "cwd": "/"}}})");
  const std::vector<std::pair<std::string, int>> cases = {
      {"missing", 127}, {"noexec", 126}, {"nocwd", 78}, {"self", 78}, {"fine", 0}};
  for (const auto& [name, code] : cases) {
    auto checked = run_launcher({"check", "-c", cfg, "--server", name});
    auto launched = run_launcher({"-c", cfg, "--server", name});
    EXPECT_EQ(checked.exit_code, code) << name << ": " << checked.err;
    EXPECT_EQ(launched.exit_code, code) << name << ": " << launched.err;
  }
  EXPECT_EQ(run_launcher({"check", "--", "no-such-server-xyz"}).exit_code, 127);
}

}  // namespace
}  // namespace mcpl::test
