// Bad input: one clear line on stderr naming what and where, the documented exit code, and
// the child never starts.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/support/spawn.hpp"

namespace mcpl::test {
namespace {

struct bad_case {
  const char* name;
  std::string config;                      // written to c.json when not empty
  std::vector<std::string> args;           // "CFG" is replaced by the config's path
  std::map<std::string, std::string> env;  // added to the base environment
  int code;
  std::string message;  // the one stderr line must contain this
};

const std::string kStarted = "CHILD STARTED";

class BadInput : public ::testing::TestWithParam<bad_case> {};

TEST_P(BadInput, OneLineExitCodeAndNothingStarts) {
  const auto& c = GetParam();
  temp_dir dir;
  dir.write("creds/plain", "not json at all");
  dir.write("creds/obj.json", R"({"a": 1})");
  std::string cfg = dir.path() + "/c.json";
  if (!c.config.empty()) {
    std::string text = c.config;
    for (std::size_t p; (p = text.find("DIR")) != std::string::npos;)
      text.replace(p, 3, dir.path());
    dir.write("c.json", text);
  }
  std::vector<std::string> argv = {launcher_path()};
  for (auto a : c.args) argv.push_back(a == "CFG" ? cfg : a);
  auto env = base_env({{"CREDENTIALS_DIRECTORY", dir.path() + "/creds"}});
  for (const auto& [k, v] : c.env) env[k] = v;
  auto r = run_process({.argv = argv, .env = env});
  EXPECT_EQ(r.exit_code, c.code) << r.err;
  EXPECT_EQ(r.out, "") << "the child started";
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "more than one line:\n" << r.err;
  EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  EXPECT_EQ(r.err.rfind("mcp-launch: error: ", 0), 0u) << r.err;
}

const std::vector<std::string> kChild = {"--", "sh", "-c", "echo " + kStarted};
std::vector<std::string> with_child(std::vector<std::string> args) {
  args.insert(args.end(), kChild.begin(), kChild.end());
  return args;
}
const char* kServer =
    R"({"mcpServers": {"s": {"command": "sh", "args": ["-c", "echo CHILD STARTED"],
    "env": {"T": "{{ secrets.file.[plain] }}"}}}})";

INSTANTIATE_TEST_SUITE_P(
    Cases, BadInput,
    ::testing::Values(
        bad_case{"malformed_json",
                 "{\n  \"mcpServers\": {\n    \"s\": {\"command\": }\n",
                 {"-c", "CFG", "--server", "s"},
                 {},
                 78,
                 "c.json: invalid JSON line 3, column 22"},
        bad_case{"wrong_type",
                 R"({"mcpServers": {"s": {"command": "sh", "args": [1]}}})",
                 {"-c", "CFG", "--server", "s"},
                 {},
                 78,
                 "c.json: mcpServers.s.args[0]: expected a string, found number"},
        bad_case{
            "file_name_with_dotdot",
            "",
            with_child({}),
            {{"T", "{{ secrets.file.[../c.json] }}"}},
            78,
            "identifier '../c.json' of {{ secrets.file.[../c.json] }}: it has a '..' path segment"},
        bad_case{"file_name_absolute",
                 "",
                 with_child({}),
                 {{"T", "{{ secrets.file.[/etc/hostname] }}"}},
                 78,
                 "'/etc/hostname' is not a file name inside"},
        bad_case{"unknown_store_type",
                 R"({"secretStores": [{"name": "k", "type": "keepass"}]})",
                 with_child({"-c", "CFG"}),
                 {},
                 78,
                 "store 'k': unknown type 'keepass'"},
        bad_case{
            "unknown_store",
            R"({"mcpServers": {"s": {"command": "sh", "env": {"T": "x{{ secrets.valt.gh }}"}}}})",
            {"-c", "CFG", "--server", "s"},
            {},
            78,
            "c.json: mcpServers.s.env.T: column 2: unknown store 'valt'"},
        bad_case{
            "unknown_mapping",
            R"({"secretStores": [{"name": "v", "type": "hashicorp_vault", "mappings": [{"name": "a", "secretIdentifier": "A"}]}]})",
            with_child({"-c", "CFG"}),
            {{"T", "{{ secrets.v.b }}"}},
            78,
            "environment variable T: column 1: store 'v' has no mapping 'b'"},
        bad_case{"unknown_server",
                 kServer,
                 {"-c", "CFG", "--server", "nope"},
                 {},
                 78,
                 "unknown server 'nope'"},
        bad_case{"unterminated_reference",
                 "",
                 with_child({}),
                 {{"T", "ab {{ secrets.file.[x }}"}},
                 78,
                 "environment variable T: column 20: unterminated '['"},
        bad_case{"no_closing_braces",
                 "",
                 with_child({}),
                 {{"T", "{{ env.HOME"}},
                 78,
                 "environment variable T: column 12: no closing '}}'"},
        bad_case{"missing_env",
                 "",
                 with_child({}),
                 {{"T", "{{ env.NOPE }}"}},
                 78,
                 "{{ env.NOPE }}: store 'env': environment variable NOPE is not set"},
        bad_case{"missing_credential_file",
                 "",
                 with_child({}),
                 {{"T", "{{ secrets.file.[absent] }}"}},
                 78,
                 "{{ secrets.file.[absent] }}: store 'file': "},
        bad_case{"missing_path",
                 "",
                 with_child({}),
                 {{"T", "{{ file.[/no/such/secret] }}"}},
                 78,
                 "/no/such/secret: No such file or directory"},
        bad_case{"selector_on_non_json",
                 "",
                 with_child({}),
                 {{"T", "{{ secrets.file.[plain#key] }}"}},
                 65,
                 "selector '#key': the secret is not JSON"},
        bad_case{"selected_key_missing",
                 "",
                 with_child({}),
                 {{"T", "{{ secrets.file.[obj.json#/b] }}"}},
                 65,
                 "no key 'b' (keys: a)"},
        bad_case{
            "store_cycle",
            R"({"secretStores": [{"name": "a", "type": "file", "configuration": {"directory": "{{ secrets.b.[x] }}"}},
                                                      {"name": "b", "type": "file", "configuration": {"directory": "{{ secrets.a.[x] }}"}}]})",
            with_child({"-c", "CFG"}),
            {},
            78,
            "secret stores form a cycle through their configurations: a -> b -> a"},
        bad_case{"empty_command",
                 R"({"mcpServers": {"s": {"command": ""}}})",
                 {"-c", "CFG", "--server", "s"},
                 {},
                 78,
                 "empty command"},
        bad_case{"remote_plain_http",
                 R"({"mcpServers": {"r": {"url": "http://mcp.example.com/mcp"}}})",
                 {"-c", "CFG", "--server", "r"},
                 {},
                 78,
                 "mcpServers.r.url: a remote server needs https://"},
        bad_case{"remote_reference_in_host",
                 "",
                 {"--url", "https://{{ env.HOST }}.example.com/mcp"},
                 {{"HOST", "evil.test/x"}},
                 78,
                 "--url: {{ env.HOST }}: a reference before the URL's path must be the whole URL"},
        bad_case{"remote_url_does_not_parse",
                 "",
                 {"--url", "{{ env.WHOLE }}"},
                 {{"WHOLE", "https://host/a b"}},
                 78,
                 "--url: not a usable URL: it holds a space"},
        bad_case{"remote_oauth_without_secret",
                 R"({"mcpServers": {"r": {"url": "https://x/mcp", "oauth": {"clientId": "c"}}}})",
                 {"-c", "CFG", "--server", "r"},
                 {},
                 78,
                 "give \"clientSecret\" or \"privateKey\", one of them"},
        bad_case{"header_without_a_colon",
                 "",
                 {"--url", "https://x/mcp", "--header", "Authorization Bearer x"},
                 {},
                 64,
                 "--header 1: write it as 'NAME: VALUE'"},
        bad_case{"header_without_url",
                 "",
                 with_child({"--header", "X-API-Key: k"}),
                 {},
                 64,
                 "--header and --transport are for a remote server"},
        bad_case{"unknown_transport",
                 "",
                 {"--url", "https://x/mcp", "--transport", "websocket"},
                 {},
                 64,
                 "--transport takes auto, streamable-http or sse"},
        bad_case{"url_and_command",
                 "",
                 with_child({"--url", "https://x/mcp"}),
                 {},
                 64,
                 "give one of --server NAME, --url URL, -- COMMAND"},
        bad_case{"input_variable",
                 R"({"mcpServers": {"s": {"command": "sh", "args": ["${input:token}"]}}})",
                 {"-c", "CFG", "--server", "s"},
                 {},
                 78,
                 "c.json: mcpServers.s.args[0]: ${input:token}: input 'token'"},
        bad_case{"missing_config_file",
                 "",
                 with_child({"-c", "/no/such/config.json"}),
                 {},
                 78,
                 "config file /no/such/config.json: No such file or directory"},
        bad_case{"inline_config_bad",
                 "",
                 with_child({}),
                 {{"MCP_LAUNCH_CONFIG_JSON", "{"}},
                 78,
                 "$MCP_LAUNCH_CONFIG_JSON: invalid JSON"},
        bad_case{
            "file_store_without_directory",
            "",
            with_child({}),
            {{"T", "{{ secrets.f.[x] }}"},
             {"CREDENTIALS_DIRECTORY", ""},
             {"MCP_LAUNCH_CONFIG_JSON", R"({"secretStores": [{"name": "f", "type": "file"}]})"}},
            78,
            "store 'f': no $CREDENTIALS_DIRECTORY or configuration.directory, and "
            "/nonexistent-home/.config/mcp-launch/secrets does not exist: mkdir -p -m 700"},
        bad_case{"no_command", "", {}, {}, 64, "nothing to launch"},
        bad_case{"bad_timeout",
                 "",
                 with_child({"--timeout", "soon"}),
                 {},
                 64,
                 "invalid duration 'soon'"},
        bad_case{"bad_log_level",
                 "",
                 with_child({"--log-level", "loud"}),
                 {},
                 64,
                 "invalid log level 'loud'"},
        bad_case{"unknown_option", "", with_child({"--frobnicate"}), {}, 64, "frobnicate"},
        bad_case{"supervise_and_exec",
                 "",
                 with_child({"--supervise", "--exec"}),
                 {},
                 64,
                 "give --supervise or --exec, not both"},
        bad_case{"both_server_and_command",
                 kServer,
                 with_child({"-c", "CFG", "--server", "s"}),
                 {},
                 64,
                 "give one of --server NAME, --url URL, -- COMMAND"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(BadInput, ALinkOutOfTheFileStoresDirectoryIsRefused) {
  temp_dir dir;
  dir.write("outside", "outside-value");
  dir.write("creds/kept", "kept-value");
  ::mkdir((dir.path() + "/creds/..2026_11_30").c_str(), 0700);
  dir.write("creds/..2026_11_30/token", "k8s-value");
  ASSERT_EQ(::symlink("/etc/hostname", (dir.path() + "/creds/escape").c_str()), 0);
  ASSERT_EQ(::symlink("../outside", (dir.path() + "/creds/escape2").c_str()), 0);
  ASSERT_EQ(::symlink("..2026_11_30", (dir.path() + "/creds/..data").c_str()), 0);
  ASSERT_EQ(::symlink("..data/token", (dir.path() + "/creds/token").c_str()), 0);
  auto env = [&](const std::string& name) {
    return base_env({{"CREDENTIALS_DIRECTORY", dir.path() + "/creds"},
                     {"T", "{{ secrets.file." + name + " }}"}});
  };
  for (const char* name : {"escape", "escape2"}) {
    auto r = run_process(
        {.argv = {launcher_path(), "--", "sh", "-c", "echo " + kStarted}, .env = env(name)});
    EXPECT_EQ(r.exit_code, 78) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find(std::string("/creds/") + name + ": resolves to a file outside"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("value"), std::string::npos) << r.err;
  }
  // A Kubernetes secret volume's key: links that stay inside.
  auto k8s = run_process(
      {.argv = {launcher_path(), "--", "sh", "-c", "echo \"$T\""}, .env = env("token")});
  EXPECT_EQ(k8s.exit_code, 0) << k8s.err;
  EXPECT_EQ(k8s.out, "k8s-value\n");
}

TEST(BadInput, UnreadableCredentialFileIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to run the launcher as another user";
  temp_dir dir;
  chmod(dir.path().c_str(), 0755);
  dir.write("locked", "secret", 0600);  // root's, so nobody cannot read it
  auto r = run_process({.argv = {launcher_path(), "--", "sh", "-c", "echo " + kStarted},
                        .env = base_env({{"T", "{{ file.[" + dir.path() + "/locked] }}"}}),
                        .uid = 65534});
  EXPECT_EQ(r.exit_code, 77) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("/locked: Permission denied"), std::string::npos) << r.err;
}

TEST(BadInput, EveryFailingReferenceGetsItsOwnLine) {
  auto r = run_process(
      {.argv = {launcher_path(), "--", "sh", "-c", "echo " + kStarted},
       .env = base_env(
           {{"A", "{{ env.MISSING_A }}"}, {"B", "{{ env.MISSING_B }}"}, {"C", "{{ env.HOME }}"}})});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "mcp-launch: error: environment variable A: {{ env.MISSING_A }}: store 'env': "
            "environment variable MISSING_A is not set\n"
            "mcp-launch: error: environment variable B: {{ env.MISSING_B }}: store 'env': "
            "environment variable MISSING_B is not set\n");
}

TEST(BadInput, GroupReadableConfigWithInlineCredentialsWarns) {
  temp_dir dir;
  std::string cfg =
      dir.write("c.json", R"({"secretStores": [{"name": "v", "type": "hashicorp_vault",
      "configuration": {"address": "https://vault", "token": "hvs.inline"}}]})",
                0644);
  auto r = run_process({.argv = {launcher_path(), "-c", cfg, "--", "true"}, .env = base_env()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(
      r.err.find("warn: " + cfg + " holds inline credentials and is readable by group or others"),
      std::string::npos)
      << r.err;
  chmod(cfg.c_str(), 0600);
  auto quiet = run_process({.argv = {launcher_path(), "-c", cfg, "--", "true"}, .env = base_env()});
  EXPECT_EQ(quiet.err.find("inline credentials"), std::string::npos) << quiet.err;
  // A Google service account key, as an object or as JSON text, is an inline credential too.
  for (const char* key :
       {R"({"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----"})",
        R"("{\"type\": \"service_account\"}")"}) {
    std::string gcp = dir.write("g.json",
                                std::string(R"({"secretStores": [{"name": "g",
        "type": "gcp_secret_manager", "configuration": {"serviceAccountKey": )") +
                                    key + "}}]}",
                                0644);
    auto g = run_process({.argv = {launcher_path(), "-c", gcp, "--", "true"}, .env = base_env()});
    EXPECT_NE(g.err.find("warn: " + gcp + " holds inline credentials"), std::string::npos)
        << key << "\n"
        << g.err;
  }
  // An Azure certificate with its key, written into the configuration.
  std::string az = dir.write("a.json", R"({"secretStores": [{"name": "a", "type": "azure_key_vault",
      "configuration": {"vaultUrl": "https://v.vault.azure.net",
                        "clientCertificate": "-----BEGIN PRIVATE KEY-----\nMIIE\n"}}]})",
                             0644);
  auto a = run_process({.argv = {launcher_path(), "-c", az, "--", "true"}, .env = base_env()});
  EXPECT_NE(a.err.find("warn: " + az + " holds inline credentials"), std::string::npos) << a.err;
}

}  // namespace
}  // namespace mcpl::test
