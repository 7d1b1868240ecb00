// The bridge's pure parts: the SSE parser (WHATWG event-stream rules, any chunking) and the
// newline-delimited JSON-RPC framing of stdin and stdout.
#include <gtest/gtest.h>

#include <algorithm>

#include "bridge/framing.hpp"
#include "bridge/sse.hpp"
#include "bridge/streamable.hpp"

namespace mcpl {
namespace {

std::vector<sse_event> parse_all(std::string_view stream) {
  sse_parser p;
  return p.feed(stream);
}

TEST(Sse, EventsDataLinesIdsAndComments) {
  auto events = parse_all(
      ": keep-alive comment\n"
      "event: message\n"
      "id: 7\n"
      "data: {\"jsonrpc\":\"2.0\",\n"
      "data:  \"id\":1}\n"
      "\n"
      "data:second\n"
      "\n");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "message");
  EXPECT_EQ(events[0].data, "{\"jsonrpc\":\"2.0\",\n \"id\":1}");  // one space dropped, not two
  EXPECT_EQ(events[0].id, "7");
  EXPECT_EQ(events[1].data, "second");
  EXPECT_EQ(events[1].id, "7") << "the last event ID stays in force";
}

TEST(Sse, LineEndsCrLfLfAndCrAlike) {
  for (std::string_view stream : {"event: endpoint\r\ndata: /messages?s=1\r\n\r\n",
                                  "event: endpoint\ndata: /messages?s=1\n\n",
                                  "event: endpoint\rdata: /messages?s=1\r\r"}) {
    auto events = parse_all(stream);
    ASSERT_EQ(events.size(), 1u) << stream;
    EXPECT_EQ(events[0].type, "endpoint");
    EXPECT_EQ(events[0].data, "/messages?s=1");
  }
}

TEST(Sse, AnyChunkingGivesTheSameEvents) {
  const std::string stream =
      "\xEF\xBB\xBFid: a\r\nevent: x\r\ndata: 1\r\ndata\r\n\r\nretry: 1500\ndata: 2\r\r";
  auto whole = parse_all(stream);
  ASSERT_EQ(whole.size(), 2u);
  EXPECT_EQ(whole[0].data, "1\n");  // a field with no colon has an empty value
  EXPECT_EQ(whole[0].type, "x");
  EXPECT_EQ(whole[1].type, "message") << "the type does not outlive its event";
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    sse_parser p;
    auto a = p.feed(std::string_view(stream).substr(0, cut));
    auto b = p.feed(std::string_view(stream).substr(cut));
    a.insert(a.end(), b.begin(), b.end());
    ASSERT_EQ(a.size(), whole.size()) << "cut at " << cut;
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].data, whole[i].data) << "cut at " << cut;
      EXPECT_EQ(a[i].type, whole[i].type) << "cut at " << cut;
      EXPECT_EQ(a[i].id, whole[i].id) << "cut at " << cut;
    }
    EXPECT_EQ(p.retry().value().count(), 1500);
  }
}

TEST(Sse, WhatIsIgnored) {
  sse_parser p;
  using namespace std::string_literals;
  auto events = p.feed("id: 1\nevent: ping\n\nid: 2\0x\nretry: 10s\nretry: -5\ndata: d\n\n"s);
  ASSERT_EQ(events.size(), 1u) << "an event without data is not dispatched";
  EXPECT_EQ(events[0].id, "1") << "an id holding NUL is ignored";
  EXPECT_EQ(p.last_event_id(), "1");
  EXPECT_FALSE(p.retry().has_value()) << "retry takes digits only";
  EXPECT_EQ(p.feed("data: unfinished").size(), 0u);
  EXPECT_EQ(p.pending(), 16u);
}

TEST(Framing, LinesFromStdin) {
  line_reader r(32);
  auto got = r.feed("{\"a\":1}\r\n\n  \n{\"b\":");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].value(), "{\"a\":1}");
  got = r.feed("2}\n");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].value(), "{\"b\":2}");
  got = r.feed(std::string(40, 'x') + "\n{\"c\":3}\n");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_FALSE(got[0].ok()) << "too long";
  EXPECT_EQ(got[0].err().code, errc::content);
  EXPECT_EQ(got[1].value(), "{\"c\":3}") << "the next line is read again";
  EXPECT_EQ(r.feed("{\"d\":4}").size(), 0u);
  EXPECT_EQ(r.finish().value(), "{\"d\":4}");
  EXPECT_FALSE(r.finish().has_value());
}

TEST(Framing, OneMessageOneLine) {
  EXPECT_EQ(frame_line("{\"a\":1}\n").value(), "{\"a\":1}\n");
  EXPECT_FALSE(frame_line("{\"a\":\n1}").ok());
  EXPECT_FALSE(frame_line(" \n").ok());
}

http_response head(int status, http_headers headers = {}) {
  http_response r;
  r.status = status;
  r.headers = std::move(headers);
  return r;
}

TEST(Streamable, InitializeLearnsTheSessionAndLaterRequestsCarryIt) {
  streamable_session s("https://mcp.example.com/mcp", {{"Authorization", "Bearer t"}}, true);
  auto init = s.post(R"({"jsonrpc":"2.0","id":0,"method":"initialize"})");
  EXPECT_EQ(init.method, "POST");
  EXPECT_EQ(init.url, "https://mcp.example.com/mcp");
  EXPECT_EQ(init.headers, (http_headers{{"Authorization", "Bearer t"},
                                         {"Content-Type", "application/json"},
                                         {"Accept", "application/json, text/event-stream"}}));
  EXPECT_FALSE(s.close().has_value()) << "no session, nothing to end";
  EXPECT_EQ(s.answered(head(200, {{"Content-Type", "text/event-stream; charset=utf-8"},
                                  {"Mcp-Session-Id", "abc-1"}}),
                       true, false),
            post_outcome::event_stream);
  s.negotiated("2025-11-25");
  auto call = s.post(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
  EXPECT_NE(std::find(call.headers.begin(), call.headers.end(),
                      std::pair<std::string, std::string>{"Mcp-Session-Id", "abc-1"}),
            call.headers.end());
  EXPECT_NE(std::find(call.headers.begin(), call.headers.end(),
                      std::pair<std::string, std::string>{"MCP-Protocol-Version", "2025-11-25"}),
            call.headers.end());
  auto get = s.listen("evt-9");
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(get.headers.back(), (std::pair<std::string, std::string>{"Last-Event-ID", "evt-9"}));
  ASSERT_TRUE(s.close().has_value());
  EXPECT_EQ(s.close()->method, "DELETE");
  // A session id in a later answer does not replace the one initialize gave.
  EXPECT_EQ(s.answered(head(200, {{"content-type", "application/json"}, {"mcp-session-id", "x"}}),
                       false, true),
            post_outcome::json);
  EXPECT_EQ(s.session_id().value(), "abc-1");
}

TEST(Streamable, WhatEachAnswerMeans) {
  streamable_session s("http://127.0.0.1:1/mcp", {}, true);
  EXPECT_EQ(s.answered(head(405), true, false), post_outcome::try_sse) << "first POST, auto transport";
  EXPECT_EQ(s.answered(head(405), false, false), post_outcome::failed) << "only the first POST";
  streamable_session fixed("http://127.0.0.1:1/mcp", {}, false);
  EXPECT_EQ(fixed.answered(head(404), true, false), post_outcome::failed) << "--transport streamable-http";
  streamable_session live("http://127.0.0.1:1/mcp", {}, false);
  live.answered(head(200, {{"Mcp-Session-Id", "s1"}}), true, false);
  EXPECT_EQ(live.answered(head(202), false, true), post_outcome::accepted);
  EXPECT_EQ(live.answered(head(401), false, true), post_outcome::unauthorized);
  EXPECT_EQ(live.answered(head(404), false, true), post_outcome::session_expired);
  live.expire();
  EXPECT_FALSE(live.session_id().has_value());
  // A request sent with the old session, answered after another renewed it, expired too.
  EXPECT_EQ(live.answered(head(404), false, true), post_outcome::session_expired);
  EXPECT_EQ(live.answered(head(404), false, false), post_outcome::failed);
  EXPECT_EQ(live.answered(head(500), false, true), post_outcome::failed);
  EXPECT_EQ(media_type(head(200, {{"Content-Type", "Application/JSON ; charset=utf-8"}})),
            "application/json");
}

}  // namespace
}  // namespace mcpl
