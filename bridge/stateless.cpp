#include "bridge/stateless.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "platform/crypto.hpp"

namespace mcpl {

namespace {

using json = nlohmann::json;

constexpr std::string_view kVersionKey = "io.modelcontextprotocol/protocolVersion";
constexpr std::string_view kSentinelStart = "=?base64?", kSentinelEnd = "?=";

// Schema keywords whose subschemas are off the `properties` chain: a declaration under one
// of them makes the tool invalid.
const std::set<std::string> kOffChain = {
    "items",   "prefixItems", "additionalProperties", "patternProperties", "oneOf",
    "anyOf",   "allOf",       "not",                  "if",                "then",
    "else",    "$defs",       "definitions",          "dependentSchemas",  "contains",
    "propertyNames", "unevaluatedItems", "unevaluatedProperties"};

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) !=
                                  std::string_view::npos;
  });
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string where(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& p : path) out += (out.empty() ? "" : ".") + p;
  return out.empty() ? "<root>" : out;
}

struct scan {
  std::vector<header_param> found;
  std::map<std::string, std::string> names;  // lower case → as declared

  std::optional<std::string> visit(const json& node, std::vector<std::string> path, bool on_chain) {
    if (!node.is_object()) return std::nullopt;
    if (auto decl = node.find("x-mcp-header"); decl != node.end()) {
      if (!on_chain || path.empty())
        return where(path) + ": x-mcp-header is allowed only on properties reached through "
                             "'properties'";
      if (!decl->is_string() || !is_token(decl->get<std::string>()))
        return where(path) + ": x-mcp-header must be a header name (an RFC 9110 token)";
      std::string name = decl->get<std::string>();
      auto type = node.find("type");
      std::string t = type != node.end() && type->is_string() ? type->get<std::string>() : "";
      if (t != "string" && t != "integer" && t != "boolean")
        return where(path) + ": x-mcp-header on a " + (t.empty() ? "untyped" : t) +
               " property (string, integer or boolean only)";
      if (!names.emplace(lower(name), name).second)
        return "x-mcp-header '" + name + "' is declared twice (case does not count)";
      found.push_back({path, name});
    }
    if (auto props = node.find("properties"); props != node.end() && props->is_object())
      for (const auto& [key, child] : props->items()) {
        auto next = path;
        next.push_back(key);
        if (auto fault = visit(child, next, on_chain)) return fault;
      }
    for (const auto& [key, sub] : node.items()) {
      if (!kOffChain.count(key)) continue;
      auto next = path;
      next.push_back("<" + key + ">");
      if (sub.is_array()) {
        for (const auto& branch : sub)
          if (auto fault = visit(branch, next, false)) return fault;
      } else if (sub.is_object() && (key == "$defs" || key == "definitions" ||
                                     key == "patternProperties" || key == "dependentSchemas")) {
        for (const auto& [name, branch] : sub.items())
          if (auto fault = visit(branch, next, false)) return fault;
      } else if (auto fault = visit(sub, next, false)) {
        return fault;
      }
    }
    return std::nullopt;
  }
};

// A primitive argument as header text; nothing for what cannot be one.
std::optional<std::string> primitive_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) {
    auto n = v.is_number_unsigned() ? static_cast<double>(v.get<std::uint64_t>())
                                    : static_cast<double>(v.get<std::int64_t>());
    if (n > 9007199254740991.0 || n < -9007199254740991.0) return std::nullopt;
    return v.dump();
  }
  return std::nullopt;
}

}  // namespace

std::string envelope_version(const jsonrpc_message& m) {
  auto params = m.body.find("params");
  if (params == m.body.end() || !params->is_object()) return "";
  auto meta = params->find("_meta");
  if (meta == params->end() || !meta->is_object()) return "";
  auto version = meta->find(std::string(kVersionKey));
  return version != meta->end() && version->is_string() ? version->get<std::string>() : "";
}

bool is_stateless_revision(std::string_view version) {
  return version.size() == 10 && version >= "2026-07-28";
}

std::string header_value(std::string_view value) {
  bool plain = !value.empty() && value.front() != ' ' && value.front() != '\t' &&
               value.back() != ' ' && value.back() != '\t' &&
               !(value.starts_with(kSentinelStart) && value.ends_with(kSentinelEnd)) &&
               std::all_of(value.begin(), value.end(), [](unsigned char c) {
                 return c == '\t' || (c >= 0x20 && c <= 0x7e);
               });
  if (plain) return std::string(value);
  return std::string(kSentinelStart) + base64_encode(value) + std::string(kSentinelEnd);
}

result<std::vector<header_param>> header_params(const json& input_schema) {
  scan s;
  if (auto fault = s.visit(input_schema, {}, true)) return fail(errc::content, *fault);
  return std::move(s.found);
}

std::vector<std::string> tool_headers::learn(json& result) {
  std::vector<std::string> dropped;
  auto tools = result.find("tools");
  if (tools == result.end() || !tools->is_array()) return dropped;
  json kept = json::array();
  for (auto& tool : *tools) {
    std::string name = string_member(tool, "name");
    auto schema = tool.is_object() ? tool.find("inputSchema") : tool.end();
    auto params = header_params(schema != tool.end() ? *schema : json::object());
    if (!params) {
      dropped.push_back("tool '" + name + "' left out: " + params.err().message);
      continue;
    }
    if (!params->empty()) tools_[name] = std::move(*params);
    kept.push_back(std::move(tool));
  }
  *tools = std::move(kept);
  return dropped;
}

tool_headers::learned tool_headers::learn_answer(std::string_view answer) {
  learned out;
  auto parsed = json::parse(answer, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("result") || !parsed["result"].is_object())
    return out;
  out.dropped = learn(parsed["result"]);
  if (!out.dropped.empty()) out.text = parsed.dump(-1, ' ', false, json::error_handler_t::replace);
  return out;
}

http_headers tool_headers::for_call(const json& params) const {
  http_headers out;
  if (!params.is_object() || !params.contains("name") || !params["name"].is_string()) return out;
  auto tool = tools_.find(params["name"].get<std::string>());
  auto args = params.find("arguments");
  if (tool == tools_.end() || args == params.end()) return out;
  for (const auto& p : tool->second) {
    const json* node = &*args;
    for (const auto& key : p.path) {
      if (!node->is_object() || !node->contains(key)) {
        node = nullptr;
        break;
      }
      node = &(*node)[key];
    }
    if (!node || node->is_null()) continue;
    if (auto text = primitive_text(*node)) out.emplace_back("Mcp-Param-" + p.name, header_value(*text));
  }
  return out;
}

http_headers stateless_headers(const jsonrpc_message& request, const tool_headers& tools) {
  http_headers out = {{"MCP-Protocol-Version", envelope_version(request)},
                      {"Mcp-Method", request.method}};
  static const std::map<std::string, std::string> kNameField = {
      {"tools/call", "name"},  {"prompts/get", "name"},   {"resources/read", "uri"},
      {"tasks/get", "taskId"}, {"tasks/update", "taskId"}, {"tasks/cancel", "taskId"}};
  auto params = request.body.find("params");
  auto field = kNameField.find(request.method);
  if (field != kNameField.end() && params != request.body.end() && params->is_object()) {
    auto value = params->find(field->second);
    if (value != params->end() && value->is_string())
      out.emplace_back("Mcp-Name", header_value(value->get<std::string>()));
  }
  if (request.method == "tools/call" && params != request.body.end())
    for (auto& h : tools.for_call(*params)) out.push_back(std::move(h));
  return out;
}

}  // namespace mcpl
