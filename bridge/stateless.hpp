// The stateless revision 2026-07-28 (DESIGN §9): a request says its revision in its own
// `_meta` (io.modelcontextprotocol/protocolVersion), and its HTTP request mirrors the body in
// standard headers — MCP-Protocol-Version, Mcp-Method, Mcp-Name, and an Mcp-Param-{Name} for
// each tool argument the tool's inputSchema marks with `x-mcp-header` (SEP-2243). Values that
// cannot travel as plain ASCII go in the Base64 sentinel form. Pure.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "bridge/message.hpp"
#include "core/result.hpp"
#include "platform/http/http.hpp"

namespace mcpl {

/// The revision a request's `_meta` claims; "" when it claims none (a 2025-era request).
std::string envelope_version(const jsonrpc_message& m);

/// True for 2026-07-28 and later revisions: stateless, no initialize, no session.
bool is_stateless_revision(std::string_view version);

/// `value` as an HTTP field value: as it is when it is plain printable ASCII without
/// leading or trailing blanks, else `=?base64?{Base64 of its UTF-8}?=` (and so is a value
/// that already looks like that).
std::string header_value(std::string_view value);

/// One argument a tool wants mirrored: where it is in `arguments`, and the header's name.
struct header_param {
  std::vector<std::string> path;
  std::string name;  ///< sent as Mcp-Param-{name}
};

/// The `x-mcp-header` declarations of a tool's inputSchema. Fails with errc::content naming
/// the fault: a declaration off the `properties` chain (under items, anyOf, $defs, …) or at
/// the root, a name that is not an RFC 9110 token, a type other than string, integer or
/// boolean, or two names equal but for case.
result<std::vector<header_param>> header_params(const nlohmann::json& input_schema);

/// What the server's tools/list answers taught: the header parameters of each tool.
class tool_headers {
 public:
  /// Learns the tools of a tools/list `result`, and takes out of it every tool whose
  /// declarations are invalid (the spec's rule for HTTP clients). Returns one line per tool
  /// taken out, naming it and why.
  std::vector<std::string> learn(nlohmann::json& result);

  /// The same for a whole tools/list answer as the server sent it: `dropped` says why each
  /// tool taken out was, and `text` is then the answer written again without them (else it
  /// is empty: the server's own text passes on).
  struct learned {
    std::string text;
    std::vector<std::string> dropped;
  };
  learned learn_answer(std::string_view answer);

  /// The Mcp-Param headers of a tools/call request; none for a tool not learned.
  http_headers for_call(const nlohmann::json& params) const;

 private:
  std::map<std::string, std::vector<header_param>> tools_;
};

/// The standard headers of one stateless request: MCP-Protocol-Version (from its `_meta`),
/// Mcp-Method, Mcp-Name (tools/call and prompts/get: params.name; resources/read:
/// params.uri; tasks/get, tasks/update, tasks/cancel: params.taskId), and Mcp-Param-*.
http_headers stateless_headers(const jsonrpc_message& request, const tool_headers& tools);

}  // namespace mcpl
