// Remote server definitions (DESIGN §3, §9): their fields as parsed, their plans, and the URL
// with each reference percent-encoded where it stands.
#include <gtest/gtest.h>

#include "tests/support/parse_ok.hpp"

#include "launcher/config.hpp"
#include "launcher/remote_plan.hpp"

namespace mcpl {
namespace {

using testing::parse_ok;

store_catalogue no_stores() { return std::move(store_catalogue::make({})).value(); }

// The URL of `text` (a template) with `values` in place of its references.
result<std::string> url_with(const std::string& text, std::vector<std::string> values) {
  auto cat = no_stores();
  auto f = make_field(text, "url", cat, nullptr, false);
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.err().message);
  return render_url(*f, values);
}

TEST(RemoteConfig, EveryClientsFormOfARemoteServer) {
  auto c = parse_ok(R"({
    "mcpServers": {
      "claude": {"type": "http", "url": "https://a/mcp", "headers": {"Authorization": "Bearer x"}},
      "windsurf": {"serverUrl": "https://b/mcp"},
      "legacy": {"type": "sse", "url": "https://c/sse"},
      "strict": {"type": "streamable-http", "url": "https://d/mcp"},
      "oauth": {"url": "https://e/mcp", "oauth": {"clientId": "id", "clientSecret": "s",
                "scopes": "read write"}},
      "jwt": {"url": "https://f/mcp", "oauth": {"clientId": "id", "privateKey": "PEM",
              "signingAlgorithm": "ES256", "scopes": ["a", "b"]}}
    }})");
  EXPECT_EQ(c.servers["claude"].transport, "auto");
  ASSERT_EQ(c.servers["claude"].headers.size(), 1u);
  EXPECT_EQ(c.servers["claude"].headers[0].first, "Authorization");
  EXPECT_EQ(c.servers["claude"].headers[0].second.where, "cfg.json: mcpServers.claude.headers.Authorization");
  EXPECT_EQ(c.servers["windsurf"].url->value, "https://b/mcp");
  EXPECT_EQ(c.servers["legacy"].transport, "sse");
  EXPECT_EQ(c.servers["strict"].transport, "streamable-http");
  EXPECT_EQ(c.servers["oauth"].oauth->scopes, (std::vector<std::string>{"read", "write"}));
  EXPECT_EQ(c.servers["oauth"].oauth->client_secret->value, "s");
  EXPECT_EQ(c.servers["jwt"].oauth->signing_algorithm->value, "ES256");
  EXPECT_EQ(c.servers["jwt"].oauth->scopes, (std::vector<std::string>{"a", "b"}));
}

TEST(RemoteConfig, WrongRemoteFieldsAreNamed) {
  auto skipped = [](std::string_view text) {
    auto c = parse_ok(text);
    return c.skipped.count("r") ? c.skipped["r"] : "";
  };
  EXPECT_EQ(skipped(R"({"mcpServers": {"r": {"type": "http"}}})"),
            "cfg.json: mcpServers.r: a remote server needs \"url\"");
  EXPECT_EQ(skipped(R"({"mcpServers": {"r": {"command": "x", "headers": {"A": "b"}}}})"),
            "cfg.json: mcpServers.r: \"headers\" and \"oauth\" are for a remote server, which "
            "needs \"url\"");
  EXPECT_EQ(skipped(R"({"mcpServers": {"r": {"url": "https://x", "headers": {"A": 1}}}})"),
            "cfg.json: mcpServers.r.headers.A: expected a string, found number");
  EXPECT_EQ(
      skipped(R"({"mcpServers": {"r": {"url": "https://x", "oauth": {"clientId": "c",
              "clientSecret": "s", "signingAlgorithm": "RS256"}}}})"),
      "cfg.json: mcpServers.r.oauth.signingAlgorithm: only used with \"privateKey\"");
  EXPECT_EQ(
      skipped(R"({"mcpServers": {"r": {"url": "https://x", "oauth": {"clientId": "c",
              "privateKey": "k", "signingAlgorithm": "HS256"}}}})"),
      "cfg.json: mcpServers.r.oauth.signingAlgorithm: 'HS256' is not supported (RS256, ES256)");
}

TEST(RemotePlan, UrlHeadersAndOauthAreTemplates) {
  auto c = parse_ok(R"({"mcpServers": {"r": {"url": "https://x/mcp?key={{ env.KEY }}",
      "headers": {"Authorization": "Bearer {{ env.TOKEN }}", "X-Tenant": "${TENANT}"},
      "oauth": {"clientId": "{{ env.ID }}", "clientSecret": "{{ env.SECRET }}"}}}})");
  auto cat = no_stores();
  auto plan = plan_remote(c.servers["r"], {{"TENANT", "acme"}}, cat);
  ASSERT_TRUE(plan.ok()) << plan.err().message;
  ASSERT_TRUE(plan->remote);
  auto refs = plan->all_references();
  ASSERT_EQ(refs.size(), 4u);
  EXPECT_EQ(refs[0].text, "{{ env.KEY }}");
  EXPECT_EQ(refs[1].text, "{{ env.TOKEN }}");
  EXPECT_EQ(refs[2].text, "{{ env.ID }}");
  EXPECT_EQ(refs[3].text, "{{ env.SECRET }}");
  EXPECT_EQ(plan->remote->headers[1].second.parsed.segments[0].literal, "acme");  // ${TENANT}
  EXPECT_FALSE(plan->references_in_argv());
}

TEST(RemotePlan, ReferencesArePercentEncodedWhereTheyStand) {
  EXPECT_EQ(*url_with("https://x/mcp?key={{ env.K }}&b=1", {"a&b=c d"}),
            "https://x/mcp?key=a%26b%3Dc%20d&b=1");
  EXPECT_EQ(*url_with("https://x/t/{{ env.T }}/mcp", {"../admin?x"}),
            "https://x/t/..%2Fadmin%3Fx/mcp");
  // A whole URL is taken as written, and must parse.
  EXPECT_EQ(*url_with("{{ env.URL }}", {"https://x/mcp?key=a%20b"}), "https://x/mcp?key=a%20b");
  auto bad = url_with("{{ env.URL }}", {"https://x/a\r\nHost: evil"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.err().message, "url: not a usable URL: it holds a space or a control character");
  auto host = url_with("https://{{ env.H }}/mcp", {"evil.test"});
  ASSERT_FALSE(host.ok());
  EXPECT_EQ(host.err().code, errc::config);
  auto port = url_with("https://x:{{ env.P }}/mcp", {"443"});
  EXPECT_FALSE(port.ok());
  auto plain = url_with("http://mcp.example.com/{{ env.P }}", {"mcp"});
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.err().message.find("needs https://"), std::string::npos);
  EXPECT_TRUE(url_with("http://127.0.0.1:8080/{{ env.P }}", {"mcp"}).ok());
}

TEST(RemotePlan, CommandLineHeaders) {
  auto cat = no_stores();
  options o;
  o.url = "https://x/mcp";
  o.headers = {"Authorization: Bearer {{ env.T }}", "X-API-Key:k"};
  o.transport = "sse";
  auto plan = plan_remote_options(o, cat);
  ASSERT_TRUE(plan.ok()) << plan.err().message;
  EXPECT_EQ(plan->label, "https://x:443");
  EXPECT_EQ(plan->remote->transport, "sse");
  ASSERT_EQ(plan->remote->headers.size(), 2u);
  EXPECT_EQ(plan->remote->headers[0].first, "Authorization");
  EXPECT_EQ(plan->remote->headers[0].second.where, "--header 1 (Authorization)");
  EXPECT_EQ(plan->remote->headers[1].second.parsed.segments[0].literal, "k");
  // A URL with a reference is not named, even by its origin.
  o.url = "https://x/mcp?key={{ env.K }}";
  EXPECT_EQ(plan_remote_options(o, cat)->label, "the remote server");
  o.headers = {"Bad Name: x"};
  auto bad = plan_remote_options(o, cat);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.err().code, errc::usage);
}

}  // namespace
}  // namespace mcpl
