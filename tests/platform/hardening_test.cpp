// What keeps a secret in the launcher's memory from other processes and from disk, in every
// mode: no ptrace or /proc/PID/mem for other processes, no core file; the child gets back
// what the launcher inherited.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/spawn.hpp"

namespace mcpl::test {
namespace {

// The sanitized build's runtime sets its own core limit to 0 at start-up unless told not to:
// without this, the core-limit checks would hold for the wrong reason there.
const std::pair<std::string, std::string> kKeepCoreLimit = {"ASAN_OPTIONS", "disable_coredump=0"};

// What /proc showed of a launcher while it was blocked reading a FIFO for a reference.
struct observed {
  int proc_owner = -1;     // owner of /proc/PID/fd: root if and only if it is non-dumpable
  std::string core_limit;  // the "Max core file size" line of /proc/PID/limits
  std::string environ;     // /proc/PID/environ, NUL-separated
  spawn_result result;
};

// Runs the launcher as `nobody` with `args`, where "{FIFO}" stands for a FIFO's path that one
// of its references reads; looks at its /proc entries while it waits on that FIFO.
observed while_blocked(std::vector<std::string> args,
                       std::map<std::string, std::string> extra_env = {}) {
  temp_dir dir;
  chmod(dir.path().c_str(), 0755);
  std::string fifo = dir.path() + "/fifo";
  EXPECT_EQ(mkfifo(fifo.c_str(), 0666), 0);
  std::string marker = "S={{ file.[" + fifo + "] }}";
  for (auto& a : args)
    if (auto at = a.find("{FIFO}"); at != std::string::npos) a.replace(at, 6, fifo);
  observed seen;
  std::thread writer([&] {
    int fd = -1;
    for (int i = 0; i < 1000 && fd < 0; ++i) {  // succeeds once the launcher has it open
      fd = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
      if (fd < 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (const auto& e : std::filesystem::directory_iterator("/proc")) {
      std::string environ;
      std::getline(std::ifstream(e.path() / "environ"), environ, '\x01');
      struct stat st {};
      if (environ.find(marker) == std::string::npos || stat((e.path() / "fd").c_str(), &st) != 0)
        continue;
      seen.proc_owner = static_cast<int>(st.st_uid);
      seen.environ = environ;
      std::ifstream limits(e.path() / "limits");
      for (std::string line; std::getline(limits, line);)
        if (line.starts_with("Max core file size")) seen.core_limit = line;
    }
    if (fd >= 0) {
      (void)!write(fd, "x", 1);
      close(fd);
    }
  });
  // Started with a core limit, so that its being 0 in the launcher shows the launcher's doing.
  std::vector<std::string> argv = {"/bin/sh", "-c", "ulimit -S -c 1024 && exec \"$@\"", "sh",
                                   launcher_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  extra_env["S"] = "{{ file.[" + fifo + "] }}";
  extra_env.insert(kKeepCoreLimit);
  spawn_options o{.argv = argv, .env = base_env(extra_env)};
  o.uid = 65534;
  seen.result = run_process(o);
  writer.join();
  return seen;
}

// "Max core file size  0  unlimited  bytes": the soft limit is the first number.
std::string soft_core_limit(const std::string& line) {
  std::istringstream in(line.substr(std::string("Max core file size").size()));
  std::string soft;
  in >> soft;
  return soft;
}

TEST(Hardening, EveryModeIsNonDumpableWithNoCoreFileWhileSecretsAreHeld) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to run the launcher as another user";
  struct mode {
    const char* name;
    std::vector<std::string> args;
    std::string out;
  };
  const std::vector<mode> modes = {
      {"launch", {"--", "sh", "-c", "stat -c %u /proc/$$/fd"}, "65534\n"},
      {"read", {"read", "{{ file.[{FIFO}] }}"}, "x\n"},
      {"check", {"check", "--", "true"}, ""}};
  for (const auto& m : modes) {
    auto seen = while_blocked(m.args);
    EXPECT_EQ(seen.result.exit_code, 0) << m.name << ": " << seen.result.err;
    EXPECT_EQ(seen.proc_owner, 0) << m.name << ": its /proc entries were not root's: dumpable";
    EXPECT_EQ(soft_core_limit(seen.core_limit), "0") << m.name << ": " << seen.core_limit;
    if (!m.out.empty()) {
      EXPECT_EQ(seen.result.out, m.out) << m.name;
    }
  }
}

TEST(Hardening, TheChildGetsBackTheDumpableFlagAndTheCoreLimitTheLauncherInherited) {
  // The shell sets a soft core limit, then the launcher execs a shell that prints its own.
  auto r = run_process(
      {.argv = {"/bin/sh", "-c", "ulimit -S -c 2048 && exec \"$L\" -- sh -c 'ulimit -S -c'"},
       .env = base_env({{"L", launcher_path()}, {"T", "{{ env.L }}"}, kKeepCoreLimit})});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("2048\n")) << r.out;
}

TEST(Hardening, LoaderVariablesReachTheChildButNotTheLauncher) {
  auto r = run_launcher(
      {"--", "sh", "-c",
       "printf '%s|%s|%s' \"$LD_LIBRARY_PATH\" \"$LD_X\" \"$(env | grep -c HELD)\""},
      base_env({{"LD_LIBRARY_PATH", "/opt/lib"}, {"LD_X", "{{ env.V }}"}, {"V", "v"}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The child gets them as they were set (templates resolved, as for any variable).
  EXPECT_EQ(r.out, "/opt/lib|v|0");
  if (geteuid() != 0) GTEST_SKIP() << "needs root to look at the launcher while it resolves";
  auto seen = while_blocked({"--", "true"}, {{"LD_LIBRARY_PATH", "/opt/lib"}});
  EXPECT_EQ(seen.result.exit_code, 0) << seen.result.err;
  ASSERT_FALSE(seen.environ.empty()) << "the launcher was not seen";
  EXPECT_EQ((std::string(1, '\0') + seen.environ).find(std::string(1, '\0') + "LD_LIBRARY_PATH="),
            std::string::npos);
  EXPECT_NE(seen.environ.find("MCP_LAUNCH_HELD_LD_LIBRARY_PATH=/opt/lib"), std::string::npos);
}

// A module named in /etc/nsswitch.conf, planted in a directory LD_LIBRARY_PATH names, whose
// constructor says where it ran and what VAULT_TOKEN it saw there.
TEST(Hardening, APlantedNssModuleDoesNotRunInsideTheLauncher) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root for a private mount of /etc/nsswitch.conf";
  temp_dir dir;
  chmod(dir.path().c_str(), 0755);
  std::string source = dir.write("plant.c", R"c(#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
__attribute__((constructor)) static void planted(void) {
  char exe[256] = "";
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) exe[n] = 0;
  const char* token = getenv("VAULT_TOKEN");
  dprintf(2, "PLANTED in %s, VAULT_TOKEN=%s\n", exe, token ? token : "(none)");
}
)c");
  std::string module = dir.path() + "/libnss_plant.so.2";
  auto cc = run_process(
      {.argv = {"/bin/sh", "-c", "cc -shared -fPIC -o \"$1\" \"$2\"", "sh", module, source},
       .env = base_env()});
  if (cc.exit_code != 0) GTEST_SKIP() << "no C compiler to build the planted module: " << cc.err;
  std::string nsswitch = dir.write("nsswitch.conf", "hosts: plant files dns\n", 0644);
  // In a private mount namespace, /etc/nsswitch.conf names the planted module for hosts.
  auto with_plant = [&](std::vector<std::string> cmd) {
    std::vector<std::string> argv = {"/usr/bin/unshare",
                                     "-m",
                                     "/bin/sh",
                                     "-c",
                                     "mount --bind \"$0\" /etc/nsswitch.conf && exec \"$@\"",
                                     nsswitch};
    argv.insert(argv.end(), cmd.begin(), cmd.end());
    return run_process({.argv = argv,
                        .env = base_env({{"LD_LIBRARY_PATH", dir.path()},
                                         {"VAULT_TOKEN", "hvs.planted-module-must-not-see"},
                                         {"MCP_LAUNCH_CONFIG_JSON", R"({"secretStores": [
                                           {"name": "v", "type": "hashicorp_vault",
                                            "configuration": {"address": "https://plant-lookup.invalid:1"}}]})"}})});
  };
  // First prove the plant works: a dynamic program that looks the name up loads it.
  auto control = with_plant({"getent", "hosts", "plant-lookup.invalid"});
  if (control.err.find("PLANTED") == std::string::npos)
    GTEST_SKIP() << "the planted module cannot be made to load here: " << control.err;
  auto r = with_plant({launcher_path(), "--timeout", "3s", "read", "{{ secrets.v.[mcp/x] }}"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("plant-lookup.invalid"), std::string::npos)
      << "it looked the name up: " << r.err;
  EXPECT_EQ(r.err.find("PLANTED"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("hvs.planted"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace mcpl::test
