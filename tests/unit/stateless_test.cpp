// The stateless revision's standard headers (SEP-2243): sentinel encoding, the x-mcp-header
// rules, and the headers a request's body makes.
#include <gtest/gtest.h>

#include "bridge/stateless.hpp"

namespace mcpl {
namespace {

using json = nlohmann::json;

jsonrpc_message request(const char* text) { return (*parse_messages(text))[0]; }

TEST(Stateless, RevisionFromTheEnvelope) {
  auto modern = request(R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}})");
  EXPECT_EQ(envelope_version(modern), "2026-07-28");
  EXPECT_TRUE(is_stateless_revision("2026-07-28"));
  EXPECT_TRUE(is_stateless_revision("2027-01-01"));
  EXPECT_FALSE(is_stateless_revision("2025-11-25"));
  EXPECT_FALSE(is_stateless_revision(""));
  EXPECT_EQ(envelope_version(request(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})")), "");
}

TEST(Stateless, HeaderValuesThatCannotTravelAsTheyAreAreSentinelEncoded) {
  EXPECT_EQ(header_value("Oslo"), "Oslo");
  EXPECT_EQ(header_value("a\tb"), "a\tb");
  EXPECT_EQ(header_value("Zürich"), "=?base64?WsO8cmljaA==?=");
  EXPECT_EQ(header_value(" padded"), "=?base64?IHBhZGRlZA==?=");
  EXPECT_EQ(header_value(""), "=?base64?" "?=");  // (two literals: "??=" is a trigraph)
  EXPECT_EQ(header_value("line\r\nbreak"), "=?base64?bGluZQ0KYnJlYWs=?=");
  EXPECT_EQ(header_value("=?base64?x?="), "=?base64?PT9iYXNlNjQ/eD89?=");
}

TEST(Stateless, DeclarationsAndTheirFaults) {
  auto ok = header_params(json::parse(R"({"type":"object","properties":{
      "region":{"type":"string","x-mcp-header":"Region"},
      "opts":{"type":"object","properties":{"dry":{"type":"boolean","x-mcp-header":"Dry-Run"}}}}})"));
  ASSERT_TRUE(ok.ok()) << ok.err().message;
  ASSERT_EQ(ok->size(), 2u);
  // (in the order of the keys, which the JSON library sorts)
  EXPECT_EQ((*ok)[0].path, (std::vector<std::string>{"opts", "dry"}));
  EXPECT_EQ((*ok)[0].name, "Dry-Run");
  EXPECT_EQ((*ok)[1].name, "Region");
  auto fault = [](const char* schema) {
    auto r = header_params(json::parse(schema));
    return r.ok() ? std::string("valid") : r.err().message;
  };
  EXPECT_EQ(fault(R"({"properties":{"r":{"type":"number","x-mcp-header":"R"}}})"),
            "r: x-mcp-header on a number property (string, integer or boolean only)");
  EXPECT_EQ(fault(R"({"properties":{"r":{"type":"string","x-mcp-header":"Bad Name"}}})"),
            "r: x-mcp-header must be a header name (an RFC 9110 token)");
  EXPECT_EQ(fault(R"({"properties":{"a":{"type":"string","x-mcp-header":"X"},"b":{"type":"string","x-mcp-header":"x"}}})"),
            "x-mcp-header 'x' is declared twice (case does not count)");
  EXPECT_EQ(fault(R"({"properties":{"list":{"type":"array","items":{"type":"string","x-mcp-header":"I"}}}})"),
            "list.<items>: x-mcp-header is allowed only on properties reached through 'properties'");
  EXPECT_EQ(fault(R"({"anyOf":[{"properties":{"a":{"type":"string","x-mcp-header":"A"}}}]})"),
            "<anyOf>.a: x-mcp-header is allowed only on properties reached through 'properties'");
  EXPECT_EQ(fault(R"({"type":"string","x-mcp-header":"Root"})"),
            "<root>: x-mcp-header is allowed only on properties reached through 'properties'");
}

TEST(Stateless, HeadersFromTheBody) {
  tool_headers tools;
  auto listed = json::parse(R"({"tools":[
      {"name":"weather","inputSchema":{"properties":{"region":{"type":"string","x-mcp-header":"Region"},
                                                      "days":{"type":"integer","x-mcp-header":"Days"}}}},
      {"name":"bad","inputSchema":{"properties":{"r":{"type":"number","x-mcp-header":"R"}}}},
      {"name":"echo","inputSchema":{"properties":{"text":{"type":"string"}}}}]})");
  auto dropped = tools.learn(listed);
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0], "tool 'bad' left out: r: x-mcp-header on a number property (string, "
                        "integer or boolean only)");
  EXPECT_EQ(listed["tools"].size(), 2u);
  // A server's odd answer is no reason to stop (found by fuzz_messages: a name that is not
  // a string threw).
  auto odd = json::parse(R"({"tools":[{"name":{"x":1},"inputSchema":5},"text",{"inputSchema":{}}]})");
  EXPECT_TRUE(tools.learn(odd).empty());
  auto call = request(R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"weather",
      "arguments":{"region":"Zürich","days":3},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}})");
  EXPECT_EQ(stateless_headers(call, tools),
            (http_headers{{"MCP-Protocol-Version", "2026-07-28"},
                          {"Mcp-Method", "tools/call"},
                          {"Mcp-Name", "weather"},
                          {"Mcp-Param-Days", "3"},
                          {"Mcp-Param-Region", "=?base64?WsO8cmljaA==?="}}));
  auto read = request(R"({"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"file:///a b",
      "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}})");
  EXPECT_EQ(stateless_headers(read, tools).back(),
            (std::pair<std::string, std::string>{"Mcp-Name", "file:///a b"}));
  // A null or absent argument sends no header.
  auto partial = request(R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"weather",
      "arguments":{"region":null},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}})");
  EXPECT_EQ(stateless_headers(partial, tools).size(), 3u);
}

}  // namespace
}  // namespace mcpl
