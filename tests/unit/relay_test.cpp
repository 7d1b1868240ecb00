// The bridge's routing of messages: what a JSON-RPC line is, the answers the bridge makes
// itself, and the relay that gives every awaited request exactly one answer.
#include <gtest/gtest.h>

#include <algorithm>

#include "bridge/message.hpp"
#include "bridge/relay.hpp"
#include "bridge/transport.hpp"

namespace mcpl {
namespace {

TEST(Messages, KindIdAndMethod) {
  auto one = parse_messages(R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{}})");
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].kind, message_kind::request);
  EXPECT_EQ((*one)[0].id, "7");
  EXPECT_EQ((*one)[0].method, "tools/call");
  auto note = parse_messages(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  EXPECT_EQ((*note)[0].kind, message_kind::notification);
  auto answer = parse_messages(R"({"jsonrpc":"2.0","id":"a","result":{"protocolVersion":"2025-06-18"}})");
  EXPECT_EQ((*answer)[0].kind, message_kind::response);
  EXPECT_EQ((*answer)[0].id, "\"a\"");
  EXPECT_EQ(negotiated_version((*answer)[0]), "2025-06-18");
  auto batch = parse_messages(R"([{"jsonrpc":"2.0","id":1,"method":"a"},{"jsonrpc":"2.0","method":"b"}])");
  ASSERT_EQ(batch->size(), 2u);
  EXPECT_FALSE(parse_messages("not json").ok());
  EXPECT_FALSE(parse_messages("[]").ok());
  EXPECT_FALSE(parse_messages(R"({"jsonrpc":"2.0","id":1})").ok());
  EXPECT_FALSE(parse_messages(R"({"jsonrpc":"2.0","method":5})").ok());
}

TEST(Messages, ErrorAnswersAndOneLine) {
  EXPECT_EQ(error_answer("7", kRemoteError, "gone"),
            R"({"error":{"code":-32000,"message":"gone"},"id":7,"jsonrpc":"2.0"})");
  EXPECT_EQ(error_answer("", kParseError, "x"),
            R"({"error":{"code":-32700,"message":"x"},"id":null,"jsonrpc":"2.0"})");
  auto pretty = std::string("{\n  \"jsonrpc\": \"2.0\",\n  \"method\": \"m\"\n}");
  auto parsed = parse_messages(pretty);
  EXPECT_EQ(one_line(pretty, (*parsed)[0].body), R"({"jsonrpc":"2.0","method":"m"})");
  EXPECT_EQ(one_line(R"({"a": 1})", nullptr), R"({"a": 1})");  // as written when it is one line
}

TEST(Relay, EveryAwaitedRequestGetsOneAnswer) {
  std::string out;
  relay client([&](std::string_view line) { out += line; }, {});
  client.expect("1");
  client.expect("2");
  client.from_server(R"({"jsonrpc":"2.0","id":1,"result":{}})");
  EXPECT_EQ(out, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n");
  // A second answer to the same id, or one to nothing awaited, is dropped.
  client.from_server(R"({"jsonrpc":"2.0","id":1,"result":{}})");
  client.from_server(R"({"jsonrpc":"2.0","id":9,"result":{}})");
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  // Server requests and notifications always pass.
  client.from_server(R"({"jsonrpc":"2.0","id":1,"method":"sampling/createMessage"})");
  client.from_server("{\"jsonrpc\":\"2.0\",\n\"method\":\"notifications/message\"}");
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3);
  client.answer_all("the server is gone");
  EXPECT_NE(out.find(R"({"error":{"code":-32000,"message":"the server is gone"},"id":2,"jsonrpc":"2.0"})"),
            std::string::npos);
  EXPECT_EQ(client.awaiting_count(), 0u);
  client.answer_error("2", "again");  // answered already: nothing more
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 4);
  // A batch is written one message per line; a cancelled request's answer is dropped.
  client.expect("3");
  client.expect("4");
  client.forget("4");
  client.from_server(R"([{"jsonrpc":"2.0","id":3,"result":{}},{"jsonrpc":"2.0","id":4,"result":{}}])");
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 5);
  // A batch of one is a message on its line too, not an array (found by fuzz_messages).
  out.clear();
  client.from_server(R"([{"jsonrpc":"2.0","method":"notifications/message"}])");
  EXPECT_EQ(out, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}\n");
}

TEST(SseTransport, TheEndpointStaysOnTheStreamsOrigin) {
  const std::string base = "https://mcp.example.com:8443/v1/sse?x=1";
  EXPECT_EQ(*resolve_endpoint(base, "/messages?sessionId=abc"),
            "https://mcp.example.com:8443/messages?sessionId=abc");
  EXPECT_EQ(*resolve_endpoint(base, "messages?s=1"), "https://mcp.example.com:8443/v1/messages?s=1");
  EXPECT_EQ(*resolve_endpoint(base, "https://mcp.example.com:8443/m"), "https://mcp.example.com:8443/m");
  EXPECT_EQ(resolve_endpoint(base, "https://evil.example/m").err().code, errc::content);
  EXPECT_EQ(resolve_endpoint(base, "http://mcp.example.com:8443/m").err().code, errc::content);
  EXPECT_EQ(resolve_endpoint(base, "/m x").err().code, errc::content);
}

}  // namespace
}  // namespace mcpl
