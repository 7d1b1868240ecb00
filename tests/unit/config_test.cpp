#include "launcher/config.hpp"

#include <gtest/gtest.h>

#include "core/quoted.hpp"
#include "core/suggest.hpp"
#include "launcher/plan.hpp"
#include "tests/support/parse_ok.hpp"
#include "tests/support/specs.hpp"

namespace mcpl {
namespace {

using testing::parse_ok;

// Why server "a" of `text` was skipped: the error that selecting it gives.
std::string skipped(std::string_view text) {
  auto c = parse_ok(text);
  EXPECT_EQ(c.servers.count("a"), 0u) << text;
  return c.skipped.count("a") ? c.skipped["a"] : "";
}

std::string parse_error(std::string_view text) {
  auto c = parse_config(text, "cfg.json");
  EXPECT_FALSE(c.ok()) << text;
  if (c.ok()) return "";
  EXPECT_EQ(c.err().code, errc::config);
  return c.err().message;
}

TEST(Config, ClaudeDesktopCursorMcpServers) {
  auto c = parse_ok(R"({"mcpServers": {"github": {"command": "npx", "args": ["-y", "srv"],
      "env": {"TOKEN": "{{ secrets.vault.github }}"}, "cwd": "/srv"}}})");
  ASSERT_EQ(c.servers.count("github"), 1u);
  const auto& d = c.servers["github"];
  EXPECT_FALSE(d.remote);
  EXPECT_EQ(d.command->value, "npx");
  ASSERT_EQ(d.args.size(), 2u);
  EXPECT_EQ(d.args[1].where, "cfg.json: mcpServers.github.args[1]");
  EXPECT_EQ(d.env[0].first, "TOKEN");
  EXPECT_EQ(d.env[0].second.where, "cfg.json: mcpServers.github.env.TOKEN");
  EXPECT_EQ(d.cwd->value, "/srv");
}

TEST(Config, VsCodeServersWithTypeAndInputs) {
  auto c = parse_ok(R"({"inputs": [{"id": "k", "type": "promptString"}],
      "servers": {"local": {"type": "stdio", "command": "node", "args": ["s.js"], "envFile": "x"},
                  "remote": {"type": "http", "url": "https://mcp.example.com/mcp"},
                  "old": {"type": "sse", "url": "https://mcp.example.com/sse"}}})");
  EXPECT_FALSE(c.servers["local"].remote);
  EXPECT_TRUE(c.servers["remote"].remote);
  EXPECT_TRUE(c.servers["old"].remote);
  EXPECT_EQ(c.servers["remote"].url->value, "https://mcp.example.com/mcp");
}

TEST(Config, WindsurfServerUrlAndClaudeCodeHttp) {
  auto c = parse_ok(R"({"mcpServers": {"w": {"serverUrl": "https://a/mcp"},
                                          "cc": {"type": "streamable-http", "url": "https://b/mcp",
                                                 "headers": {"Authorization": "Bearer x"}}}})");
  EXPECT_TRUE(c.servers["w"].remote);
  EXPECT_EQ(c.servers["w"].url->value, "https://a/mcp");
  EXPECT_TRUE(c.servers["cc"].remote);
}

TEST(Config, ZedContextServersBothForms) {
  auto c = parse_ok(R"({"context_servers": {
      "new": {"source": "custom", "command": "npx", "args": ["a"], "env": {"K": "v"}},
      "old": {"command": {"path": "/usr/bin/srv", "args": ["--x"], "env": {"E": "1"}},
              "settings": {}}}})");
  EXPECT_EQ(c.servers["new"].command->value, "npx");
  EXPECT_EQ(c.servers["old"].command->value, "/usr/bin/srv");
  EXPECT_EQ(c.servers["old"].command->where, "cfg.json: context_servers.old.command.path");
  ASSERT_EQ(c.servers["old"].args.size(), 1u);
  EXPECT_EQ(c.servers["old"].args[0].value, "--x");
  EXPECT_EQ(c.servers["old"].env[0].first, "E");
}

TEST(Config, StoresMappingsAndCache) {
  auto c = parse_ok(R"({"secretStores": [{"name": "vault", "type": "hashicorp_vault",
      "configuration": {"address": "https://v", "token": "{{ env.VAULT_TOKEN }}"},
      "mappings": [{"name": "github", "secretIdentifier": "mcp/github#token"}]}],
      "cache": {"ttl": "5m"}})");
  ASSERT_EQ(c.stores.size(), 1u);
  EXPECT_EQ(c.stores[0].mappings.at("github"), "mcp/github#token");
  EXPECT_EQ(*c.cache_ttl, std::chrono::minutes(5));
}

TEST(Config, MalformedJsonNamesLineAndColumnButNotTheToken) {
  auto msg = parse_error("{\n  \"secretStores\": [\n    {\"token\": \"ghp_inline_secret\x01\"}]}");
  EXPECT_EQ(msg.rfind("cfg.json: invalid JSON line 3, column", 0), 0u) << msg;
  EXPECT_EQ(msg.find("ghp_inline"), std::string::npos) << msg;
}

TEST(Config, NumberOverflowIsAConfigErrorNotACrash) {  // found by fuzz_config
  EXPECT_EQ(parse_error(R"({"a": 12669e62367})"),
            "cfg.json: invalid JSON: a number is out of range");
}

TEST(Config, WrongTypesAndNames) {
  // A server entry that does not fit is skipped, keeping the error for when it is asked for.
  EXPECT_EQ(skipped(R"({"mcpServers": {"a": {"command": 5}}})"),
            "cfg.json: mcpServers.a.command: expected a string, found number");
  EXPECT_EQ(skipped(R"({"mcpServers": {"a": {"command": "x", "args": "y"}}})"),
            "cfg.json: mcpServers.a.args: expected an array of strings, found string");
  EXPECT_EQ(skipped(R"({"mcpServers": {"a": {"command": "x", "env": {"K": 1}}}})"),
            "cfg.json: mcpServers.a.env.K: expected a string, found number");
  EXPECT_EQ(skipped(R"({"mcpServers": {"a": {"args": []}}})"),
            "cfg.json: mcpServers.a: a stdio server needs \"command\" (or a remote one \"url\")");
  EXPECT_EQ(skipped(R"({"servers": {"a": {"command": "x", "disabled": true}}})"),
            "cfg.json: servers.a: the client has it disabled (\"disabled\": true)");
  EXPECT_NE(skipped(R"({"context_servers": {"a": {"source": "extension", "settings": {}}}})")
                .find("a Zed extension's server"),
            std::string::npos);
  EXPECT_EQ(
      parse_error(R"({"secretStores": [{"name": "bad name", "type": "env"}]})"),
      "cfg.json: secretStores[0].name: 'bad name' is not a valid store name ([A-Za-z0-9_-]+)");
  EXPECT_EQ(
      parse_error(
          R"({"secretStores": [{"name": "a", "type": "env"}, {"name": "a", "type": "env"}]})"),
      "cfg.json: secretStores[1].name: duplicate store name 'a'");
  EXPECT_EQ(
      parse_error(
          R"({"secretStores": [{"name": "a", "type": "env", "mappings": [{"name": "m"}]}]})"),
      "cfg.json: secretStores[0].mappings[0]: a mapping needs \"name\" and \"secretIdentifier\"");
  EXPECT_EQ(parse_error(R"({"cache": {"ttl": "soon"}})")
                .rfind("cfg.json: cache.ttl: invalid duration", 0),
            0u);
  EXPECT_EQ(parse_error("[]"), "cfg.json: expected a JSON object at the top");
}

store_catalogue catalogue(std::vector<store_spec> stores) {
  auto c = store_catalogue::make(std::move(stores));
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.err().message);
  return std::move(c).value();
}

using test::spec;

TEST(Config, JsoncCommentsAndTrailingCommas) {
  // VS Code's mcp.json, as VS Code writes it.
  auto c = parse_ok(R"(// MCP servers for this workspace
{
  "servers": {
    /* the GitHub server */
    "github": {
      "type": "stdio",
      "command": "npx", // from npm
      "args": ["-y", "@modelcontextprotocol/server-github",],
      "env": {"URL": "https://example.com/a//b", "T": "/* not a comment */"},
    },
  },
})");
  ASSERT_EQ(c.servers.count("github"), 1u);
  EXPECT_EQ(c.servers["github"].args.size(), 2u);
  std::map<std::string, std::string> env;
  for (const auto& [k, v] : c.servers["github"].env) env[k] = v.value;
  EXPECT_EQ(env["URL"], "https://example.com/a//b");
  EXPECT_EQ(env["T"], "/* not a comment */");
  // Positions in errors are still the file's.
  EXPECT_EQ(parse_error("// one /* two */\n{ /* x */ \"a\": 1 2\n}"),
            parse_error("                \n{         \"a\": 1 2\n}"));
}

TEST(Config, UnknownFieldsOfTheSelectedServerAreNotedWithTheClosestName) {
  auto c = parse_ok(R"({"mcpServers": {"a": {"command": "x", "enviroment": {}, "envFile": ".env",
      "autoApprove": []}}})");
  const auto& notes = c.servers["a"].notes;
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0],
            "cfg.json: mcpServers.a.enviroment: unknown field (did you mean 'env'?), ignored");
  EXPECT_EQ(notes[1],
            "cfg.json: mcpServers.a.envFile: read by the client, not by mcp-launch: put the "
            "variables in \"env\" instead");
  EXPECT_EQ(closest_name("directroy", {"directory"}), "directory");
  EXPECT_EQ(closest_name("Secrets", {"secrets", "env"}), "secrets");
  EXPECT_EQ(closest_name("banana", {"directory", "env"}), "");
}

TEST(Catalogue, UnknownTypeAndCycle) {
  auto bad = store_catalogue::make({spec("x", "keepass")});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.err().message.rfind("cfg.json: store 'x': unknown type 'keepass'", 0), 0u);

  auto cycle = store_catalogue::make(
      {spec("a", "hashicorp_vault", {{"token", "{{ secrets.b.t }}"}}, {}),
       spec("b", "hashicorp_vault", {{"token", "x{{ secrets.a.[t] }}"}}, {{"t", "p"}})});
  ASSERT_FALSE(cycle.ok());
  EXPECT_EQ(shape_line(cycle.err().message),
            "secret stores form a cycle through their configurations: a -> b -> a");

  auto unknown =
      store_catalogue::make({spec("a", "hashicorp_vault", {{"token", "{{ secrets.nope.t }}"}})});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(
      shape_line(unknown.err().message),
      "cfg.json: store 'a': configuration.token: column 1: unknown store 'nope' (stores: a, env, "
      "file)");
}

TEST(Catalogue, IdentifiersThatCannotBeSentAreRefusedBeforeAnyRequest) {
  auto cat = catalogue(
      {spec("vault", "hashicorp_vault", {}, {}), spec("aws", "aws_secrets_manager", {}, {})});
  auto bind = [&](std::string store, std::string id) {
    reference r;
    r.kind = store == "{file}" ? ref_kind::file : ref_kind::secrets;
    r.store = store;
    r.identifier = std::move(id);
    r.text = "{{ ref }}";
    return cat.bind(r);
  };
  for (const char* bad : {"a/..", "./a", "a/./b", "..?version=2", "a\nb", "a\x7f"}) {
    auto b = bind("vault", bad);
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.err().code, errc::config);
  }
  EXPECT_NE(bind("file", "../../etc/passwd").err().message.find("'..' path segment"),
            std::string::npos);
  EXPECT_TRUE(bind("vault", "a/.b/c..?version=2").ok());
  // AWS sends names in a JSON body, and its names may hold dots; control characters never.
  EXPECT_TRUE(bind("aws", "team/../x").ok());
  EXPECT_FALSE(bind("aws", "x\ry").ok());
  EXPECT_TRUE(bind("{file}", "/run/secrets/../x").ok());
  EXPECT_FALSE(bind("{file}", "/run/\x1bx").ok());
}

TEST(Catalogue, BindingAndImplicitStores) {
  auto cat = catalogue({spec("vault", "hashicorp_vault", {}, {{"github", "mcp/github#token"}})});
  reference r;
  r.kind = ref_kind::secrets;
  r.store = "vault";
  r.mapping = "github";
  auto b = cat.bind(r);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->fetch_id, "mcp/github");
  EXPECT_EQ(b->selector, "token");
  r.mapping = "gitlab";
  EXPECT_EQ(
      cat.bind(r).err().message,
      "store 'vault' has no mapping 'gitlab' (did you mean 'github'?) (mappings: github; or name "
      "a secret as [IDENTIFIER])");
  r.store = "valt";
  EXPECT_EQ(cat.bind(r).err().message,
            "unknown store 'valt' (did you mean 'vault'?) (stores: env, file, vault)");
  r.store = "file";  // implicit: systemd credentials; a file name is its own mapping
  r.mapping = "api_key";
  ASSERT_TRUE(cat.bind(r).ok());
  EXPECT_EQ(cat.bind(r)->fetch_id, "api_key");
  r.mapping.clear();
  r.identifier = "api_key#field";
  EXPECT_EQ(cat.bind(r)->selector, "field");
  r.store = "{env}";  // the built-in namespaces cannot be named as stores
  EXPECT_FALSE(cat.bind(r).ok());
}

TEST(Plan, ServerEnvOverlaysAndExpandsHostVariables) {
  auto c = parse_ok(R"({"mcpServers": {"s": {"command": "srv", "args": ["--team=${env:TEAM}"],
      "env": {"TOKEN": "{{ secrets.file.[tok] }}", "HOME": "/override"}}}})");
  auto cat = catalogue({});
  environment env = {{"TEAM", "acme"}, {"HOME", "/root"}, {"KEEP", "k"}};
  auto plan = plan_server(c.servers["s"], env, cat);
  ASSERT_TRUE(plan.ok()) << plan.err().message;
  EXPECT_EQ(plan->args[0].parsed.segments[0].literal, "--team=acme");
  std::map<std::string, std::string> names;
  for (auto& [k, f] : plan->env)
    names[k] = f.parsed.segments.empty() ? "" : f.parsed.segments[0].literal;
  EXPECT_EQ(names["HOME"], "/override");
  EXPECT_EQ(names["KEEP"], "k");
  EXPECT_EQ(plan->all_references().size(), 1u);
  EXPECT_FALSE(plan->references_in_argv());
}

TEST(Plan, BadReferenceNamesFileFieldAndColumn) {
  auto c = parse_ok(R"({"mcpServers": {"github": {"command": "x",
      "env": {"GITHUB_TOKEN": "Bearer {{ secrets.vault.github }}"}}}})");
  auto cat = catalogue({});
  auto plan = plan_server(c.servers["github"], {}, cat);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(
      shape_line(plan.err().message),
      "cfg.json: mcpServers.github.env.GITHUB_TOKEN: column 8: unknown store 'vault' (stores: "
      "env, file)");
}

}  // namespace
}  // namespace mcpl
