
#include <cstdio>
#include <nlohmann/json.hpp>

#include "launcher/logging.hpp"
#include "launcher/modes.hpp"
#include "launcher/preflight.hpp"

namespace mcpl {

namespace {

double millis(std::chrono::microseconds us) { return static_cast<double>(us.count()) / 1000.0; }

// What a user should know about a value without seeing it: `echo tok > file` leaves a line
// break that the server would receive.
std::string note_on(const std::string& value) {
  if (!value.empty() && (value.back() == '\n' || value.back() == '\r'))
    return "ends with a newline (| trim drops it)";
  return "";
}

}  // namespace

int run_check(const app_context& app) {
  auto plan = make_plan(app.opts, app.cfg, app.env, *app.stores);
  if (!plan) {
    log::error(plan.err().message);
    return exit_code(plan.err().code);
  }
  auto run =
      run_resolution(plan->all_references(), *app.stores, app.env, app.settings, *app.redact);

  // Each distinct reference once, in order of appearance; values never, lengths only.
  std::vector<std::size_t> rows;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < run.refs.size(); ++i)
    if (seen.insert(run.refs[i].text).second) rows.push_back(i);
  int code = run.worst ? exit_code(*run.worst) : 0;
  // What would stop the launch after resolving, in the order the launch meets it.
  if (!run.worst) {
    auto path = app.env.find("PATH");
    auto r = check_handoffs(*plan, run.consumed_env, app.opts.keep_env, *app.stores);
    if (r) r = check_plan(*plan, path == app.env.end() ? "" : path->second);
    if (!r) {
      log::error(r.err().message);
      code = exit_code(r.err().code);
    }
  }

  if (app.opts.json) {
    nlohmann::json out = {{"exit_code", code}, {"references", nlohmann::json::array()}};
    for (std::size_t i : rows) {
      const auto& ref = run.refs[i];
      const auto& res = run.results[i];
      nlohmann::json row = {{"reference", ref.text},
                            {"store", store_label(ref.store)},
                            {"latency_ms", millis(res.latency)}};
      if (res.value) {
        row["status"] = "ok";
        row["length"] = res.value->size();
        if (auto note = note_on(*res.value); !note.empty()) row["note"] = note;
      } else {
        row["status"] = describe(res.value.err().code);
        row["exit_code"] = exit_code(res.value.err().code);
        row["error"] = app.redact->present(res.value.err().message);
      }
      out["references"].push_back(std::move(row));
    }
    std::string text =
        app.redact->redact(out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    std::printf("%s\n", text.c_str());
    return code;
  }

  if (rows.empty()) std::printf("no references\n");
  for (std::size_t i : rows) {
    const auto& ref = run.refs[i];
    const auto& res = run.results[i];
    std::string line;
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.1fms", millis(res.latency));
    if (res.value)
      line = ref.text + "  store=" + store_label(ref.store) + "  ok  " + latency +
             "  length=" + std::to_string(res.value->size()) +
             (note_on(*res.value).empty() ? "" : "  " + note_on(*res.value));
    else
      line = ref.text + "  store=" + store_label(ref.store) + "  " +
             describe(res.value.err().code) + "  " + latency + "  " + res.value.err().message;
    std::printf("%s\n", app.redact->present(line).c_str());
  }
  return code;
}

}  // namespace mcpl
