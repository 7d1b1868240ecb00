// What the bridge needs to know of a JSON-RPC message (MCP's base protocol) to route it:
// its kind, its id, its method, and the answers it makes itself. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mcpl {

enum class message_kind { request, notification, response };

/// One JSON-RPC message, parsed.
struct jsonrpc_message {
  message_kind kind = message_kind::notification;
  std::string id;      ///< the id as JSON text (`7`, `"a"`): requests and responses
  std::string method;  ///< requests and notifications
  nlohmann::json body;
};

/// The messages of one line: one, or several for a JSON-RPC batch (an array, 2025-03-26).
/// Fails with errc::content when the text is not JSON or not a JSON-RPC message.
result<std::vector<jsonrpc_message>> parse_messages(std::string_view text);

/// JSON-RPC error codes the bridge answers with.
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
/// The remote server could not answer (unreachable, gone, refused the credentials).
inline constexpr int kRemoteError = -32000;

/// An error answer to the request whose id is `id_json` (JSON text; "null" when unknown).
std::string error_answer(const std::string& id_json, int code, std::string_view message);

/// `object[key]` when it is a string, else `otherwise` (a peer's JSON may put anything
/// anywhere: nothing here throws).
std::string string_member(const nlohmann::json& object, const char* key,
                          const std::string& otherwise = "");

/// The protocol revision an initialize result names ("" when it names none).
std::string negotiated_version(const jsonrpc_message& answer);

/// The text to write as one stdout line: `raw` when it holds no line break, else the
/// message written again compactly (a server may pretty-print inside SSE `data:` lines).
std::string one_line(std::string_view raw, const nlohmann::json& parsed);

}  // namespace mcpl
