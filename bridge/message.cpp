#include "bridge/message.hpp"

namespace mcpl {

namespace {

result<jsonrpc_message> classify(nlohmann::json body) {
  if (!body.is_object()) return fail(errc::content, "not a JSON-RPC message (not an object)");
  jsonrpc_message m;
  auto id = body.find("id");
  auto method = body.find("method");
  bool has_id = id != body.end() && (id->is_string() || id->is_number() || id->is_null());
  if (method != body.end()) {
    if (!method->is_string()) return fail(errc::content, "a JSON-RPC method that is not a string");
    m.method = method->get<std::string>();
    m.kind = has_id && !id->is_null() ? message_kind::request : message_kind::notification;
  } else if (body.contains("result") || body.contains("error")) {
    m.kind = message_kind::response;
  } else {
    return fail(errc::content, "not a JSON-RPC message (no method, result or error)");
  }
  if (has_id) m.id = id->dump();
  m.body = std::move(body);
  return m;
}

}  // namespace

result<std::vector<jsonrpc_message>> parse_messages(std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return fail(errc::content, "not JSON");
  std::vector<jsonrpc_message> out;
  if (doc.is_array()) {
    if (doc.empty()) return fail(errc::content, "an empty JSON-RPC batch");
    for (auto& element : doc) {
      auto m = classify(std::move(element));
      if (!m) return std::move(m).err();
      out.push_back(std::move(*m));
    }
    return out;
  }
  auto m = classify(std::move(doc));
  if (!m) return std::move(m).err();
  out.push_back(std::move(*m));
  return out;
}

std::string error_answer(const std::string& id_json, int code, std::string_view message) {
  nlohmann::json answer = {{"jsonrpc", "2.0"},
                           {"id", nlohmann::json::parse(id_json.empty() ? "null" : id_json)},
                           {"error", {{"code", code}, {"message", message}}}};
  return answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string string_member(const nlohmann::json& object, const char* key,
                          const std::string& otherwise) {
  if (!object.is_object()) return otherwise;
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : otherwise;
}

std::string negotiated_version(const jsonrpc_message& answer) {
  auto result = answer.body.find("result");
  if (result == answer.body.end() || !result->is_object()) return {};
  auto version = result->find("protocolVersion");
  return version != result->end() && version->is_string() ? version->get<std::string>() : "";
}

std::string one_line(std::string_view raw, const nlohmann::json& parsed) {
  if (raw.find_first_of("\r\n") == std::string_view::npos) return std::string(raw);
  return parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace mcpl
