// `mcp-launch list`: what the loaded config files define — servers, stores, and the files
// themselves — as `op`/`doppler` users expect to see before they run anything. Names and
// types only: a command line or URL can hold a secret written inline, so neither is shown.

#include <cstdio>
#include <nlohmann/json.hpp>

#include "launcher/modes.hpp"

namespace mcpl {

int run_list(const app_context& app) {
  const config& cfg = app.cfg;
  nlohmann::json out = {{"files", cfg.files},
                        {"servers", nlohmann::json::array()},
                        {"stores", nlohmann::json::array()}};
  for (const auto& [name, def] : cfg.servers)
    out["servers"].push_back({{"name", name},
                              {"kind", def.remote ? "remote" : "stdio"},
                              {"defined_in", def.where.substr(0, def.where.rfind(": "))}});
  for (const auto& [name, why] : cfg.skipped)
    out["servers"].push_back({{"name", name}, {"kind", "skipped"}, {"why", why}});
  for (const auto& s : cfg.stores) {
    nlohmann::json mappings = nlohmann::json::array();
    for (const auto& [m, id] : s.mappings) mappings.push_back(m);
    out["stores"].push_back(
        {{"name", s.name}, {"type", s.type}, {"defined_in", s.origin}, {"mappings", mappings}});
  }
  for (const char* builtin : {"env", "file"}) {
    bool configured = false;
    for (const auto& s : cfg.stores) configured = configured || s.name == builtin;
    if (!configured)
      out["stores"].push_back({{"name", builtin},
                               {"type", builtin},
                               {"defined_in", "built in"},
                               {"mappings", nlohmann::json::array()}});
  }
  std::string text;
  if (app.opts.json) {
    text = out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } else {
    text = cfg.files.empty() ? "files: none loaded\n" : "files:\n";
    for (const auto& f : cfg.files) text += "  " + f + "\n";
    text += "servers:" + std::string(out["servers"].empty() ? " none" : "") + "\n";
    for (const auto& s : out["servers"])
      text += "  " + s["name"].get<std::string>() + "  " + s["kind"].get<std::string>() + "  " +
              (s.contains("why") ? s["why"] : s["defined_in"]).get<std::string>() + "\n";
    text += "stores:\n";
    for (const auto& s : out["stores"]) {
      text += "  " + s["name"].get<std::string>() + "  " + s["type"].get<std::string>() + "  " +
              s["defined_in"].get<std::string>();
      if (!s["mappings"].empty()) {
        text += "  mappings:";
        for (const auto& m : s["mappings"]) text += " " + m.get<std::string>();
      }
      text += "\n";
    }
  }
  text = app.redact->redact(text);
  return write_stdout(text) ? 0 : exit_code(errc::internal);
}

}  // namespace mcpl
