// `check` on a remote server (DESIGN §9): after its references, whether the server answers
// an `initialize`, and with which protocol revision — through the bridge itself, so that
// check exits as the bridge would at start (69 unreachable, 77 refused).
#include <nlohmann/json.hpp>

#include "bridge/message.hpp"
#include "launcher/remote.hpp"
#include "launcher/version.hpp"
#include "platform/http/url.hpp"

namespace mcpl {

namespace {

constexpr const char* kProbeId = "\"mcp-launch-check\"";
constexpr const char* kNewestRevision = "2025-11-25";

std::string initialize_request() {
  nlohmann::json init = {
      {"jsonrpc", "2.0"},
      {"id", "mcp-launch-check"},
      {"method", "initialize"},
      {"params",
       {{"protocolVersion", kNewestRevision},
        {"capabilities", nlohmann::json::object()},
        {"clientInfo", {{"name", "mcp-launch check"}, {"version", project_version}}}}}};
  return init.dump();
}

}  // namespace

remote_probe probe_remote(const app_context& app, const launch_plan& plan,
                          const resolution_run& run) {
  remote_probe out;
  auto values = render_remote(*plan.remote, run);
  if (!values) {
    out.code = exit_code(values.err().code);
    out.line = "remote: " + values.err().message;
    out.row = {{"status", "error"}, {"error", values.err().message}};
    return out;
  }
  auto parsed = parse_url(values->url);
  std::string origin = parsed ? parsed->origin() : "the remote server";
  std::vector<std::string> lines;
  out.code = run_remote(app, plan, *values,
                        [&](std::string_view line) { lines.emplace_back(line); },
                        [](remote_bridge& bridge) {
                          bridge.receive(initialize_request());
                          bridge.end_of_input();
                          return std::shared_ptr<void>();
                        });
  nlohmann::json answer;
  for (const auto& line : lines) {
    auto m = nlohmann::json::parse(line, nullptr, false);
    if (m.is_object() && m.contains("id") && m["id"].dump() == kProbeId && !m.contains("method"))
      answer = std::move(m);
  }
  out.row = {{"origin", origin}};
  if (answer.contains("result") && answer["result"].is_object()) {
    const auto& result = answer["result"];
    std::string version = string_member(result, "protocolVersion");
    std::string server;
    if (auto info = result.find("serverInfo"); info != result.end() && info->is_object())
      server = string_member(*info, "name") + " " + string_member(*info, "version");
    out.row["status"] = "ok";
    out.row["protocolVersion"] = version;
    out.row["server"] = server;
    out.line = "remote " + origin + ": answered initialize: protocol " + version +
               (server.empty() ? "" : ", server " + server);
    return out;
  }
  std::string why = "no answer";
  if (answer.contains("error") && answer["error"].is_object())
    why = string_member(answer["error"], "message", "an error");
  if (out.code == 0) out.code = exit_code(errc::unavailable);
  out.row["status"] = "error";
  out.row["exit_code"] = out.code;
  out.row["error"] = why;
  out.line = "remote " + origin + ": did not answer initialize: " + why;
  return out;
}

}  // namespace mcpl
