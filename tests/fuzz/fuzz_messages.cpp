// The bridge's JSON-RPC handling on anything a client or server could send: no crash; every
// line the relay writes is one whole message that parses back to what was read; and no
// standard header made from a body (Mcp-Name, Mcp-Param-*) can hold a line break or NUL.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bridge/relay.hpp"
#include "bridge/stateless.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = mcpl::parse_messages(text);

  std::string out;
  mcpl::relay client([&](std::string_view line) { out += line; }, {});
  if (parsed)
    for (const auto& m : *parsed)
      if (m.kind == mcpl::message_kind::response) client.expect(m.id);
  client.from_server(text);
  client.answer_all("gone");
  for (std::size_t start = 0; start < out.size();) {
    auto end = out.find('\n', start);
    if (end == std::string::npos) std::abort();  // every line ends
    auto line = nlohmann::json::parse(out.substr(start, end - start), nullptr, false);
    if (line.is_discarded() || !line.is_object()) std::abort();  // and is one message
    start = end + 1;
  }

  if (!parsed) return 0;
  mcpl::tool_headers tools;
  for (auto m : *parsed) {
    if (m.body.contains("result") && m.body["result"].is_object()) tools.learn(m.body["result"]);
    if (m.kind != mcpl::message_kind::request) continue;
    for (const auto& [name, value] : mcpl::stateless_headers(m, tools)) {
      if (name == "Mcp-Method" || name == "MCP-Protocol-Version") continue;  // the client checks
      if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) std::abort();
    }
  }
  return 0;
}
