// `check`: what a launch would do, without starting anything — every reference with its
// field, store, status, latency and length (never a value), and the exit code the launch
// would have. `--all` checks every definition; with no target it lists them.

#include <cstdio>
#include <nlohmann/json.hpp>

#include "launcher/logging.hpp"
#include "launcher/modes.hpp"
#include "launcher/preflight.hpp"
#include "launcher/remote.hpp"

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

// One target checked: its exit code, its rows as JSON, and the same as text lines.
struct report {
  int code = 0;
  nlohmann::json rows = nlohmann::json::array();
  std::string text;
  nlohmann::json remote;  ///< a remote server: what its initialize said
  nlohmann::json credentials = nlohmann::json::object();  ///< store label → source
};

report report_on(const app_context& app, const launch_plan& plan) {
  report out;
  auto run = run_resolution(plan.all_references(), *app.stores, app.env, app.settings, *app.redact);
  out.code = run.worst ? exit_code(*run.worst) : 0;
  // What would stop the launch after resolving, in the order the launch meets it.
  if (!run.worst && !plan.remote) {
    auto path = app.env.find("PATH");
    auto r = check_handoffs(plan, run.consumed_env, app.opts.keep_env, *app.stores);
    if (r) r = check_plan(plan, path == app.env.end() ? "" : path->second);
    if (!r) {
      log::error(r.err().message);
      out.code = exit_code(r.err().code);
    }
  }
  // Every reference where it stands, in the order of the definition; values never.
  for (std::size_t i = 0; i < run.refs.size(); ++i) {
    const auto& ref = run.refs[i];
    const auto& res = run.results[i];
    nlohmann::json row = {{"reference", ref.text},
                          {"where", ref.where},
                          {"store", ref.unbound ? "" : store_label(ref.store)},
                          {"latency_ms", millis(res.latency)}};
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.1fms", millis(res.latency));
    std::string line = ref.text + "  store=" + row["store"].get<std::string>() + "  ";
    if (res.value) {
      row["status"] = "ok";
      row["length"] = res.value->size();
      line += std::string("ok  ") + latency + "  length=" + std::to_string(res.value->size());
      if (auto note = note_on(*res.value); !note.empty()) {
        row["note"] = note;
        line += "  " + note;
      }
    } else {
      row["status"] = describe(res.value.err().code);
      row["exit_code"] = exit_code(res.value.err().code);
      row["error"] = app.redact->present(res.value.err().message);
      line += describe(res.value.err().code) + std::string("  ") + latency + "  " +
              res.value.err().message;
    }
    out.text += app.redact->present(line + "  in " + ref.where) + "\n";
    out.rows.push_back(std::move(row));
  }
  if (run.refs.empty()) out.text = "no references\n";
  // Which credentials each store used: the first question when a store refuses.
  for (const auto& [store, source] : run.credentials) {
    out.credentials[store] = source;
    out.text += app.redact->present("store " + store + ": credentials from " + source) + "\n";
  }
  if (plan.remote && !run.worst) {
    auto probe = probe_remote(app, plan, run);
    out.code = probe.code;
    out.remote = std::move(probe.row);
    out.text += app.redact->present(probe.line) + "\n";
  }
  return out;
}

std::string dump(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// --all: every definition of the loaded files, each as --server NAME would check it.
int check_all(const app_context& app) {
  int worst = 0;
  nlohmann::json servers = nlohmann::json::array();
  std::string text;
  auto add = [&](const std::string& name, const report& r, const std::string& error) {
    worst = std::max(worst, r.code);
    nlohmann::json s = {{"name", name}, {"exit_code", r.code}, {"references", r.rows}};
    if (!r.remote.is_null()) s["remote"] = r.remote;
    if (!r.credentials.empty()) s["credentials"] = r.credentials;
    if (!error.empty()) s["error"] = error;
    servers.push_back(std::move(s));
    text += "== " + name + " (exit " + std::to_string(r.code) + ")\n" +
            (error.empty() ? r.text : app.redact->present(error) + "\n");
  };
  for (const auto& [name, why] : app.cfg.skipped)
    add(name, report{exit_code(errc::config), {}, "", {}, {}}, why);
  for (const auto& [name, def] : app.cfg.servers) {
    options one = app.opts;
    one.server = name;
    auto plan = make_plan(one, app.cfg, app.env, *app.stores, /*lenient=*/true);
    if (!plan) {
      add(name, report{exit_code(plan.err().code), {}, "", {}, {}}, plan.err().message);
      continue;
    }
    add(name, report_on(app, *plan), "");
  }
  if (app.opts.json)
    write_stdout(app.redact->redact(dump({{"exit_code", worst}, {"servers", servers}})));
  else
    write_stdout(text);
  return worst;
}

}  // namespace

int run_check(const app_context& app) {
  if (app.opts.all) return check_all(app);
  if (app.opts.server.empty() && app.opts.command.empty() && app.opts.url.empty()) {
    if (app.cfg.servers.empty() && app.cfg.skipped.empty()) {
      log::error("nothing to check: give --server NAME, --all, or -- COMMAND [ARG...]");
      return exit_code(errc::usage);
    }
    std::string text = "servers:";
    for (const auto& [name, def] : app.cfg.servers) text += " " + name;
    for (const auto& [name, why] : app.cfg.skipped) text += " " + name + " (skipped)";
    write_stdout(text + "\ncheck one with --server NAME, or every one with --all\n");
    return 0;
  }
  auto plan = make_plan(app.opts, app.cfg, app.env, *app.stores, /*lenient=*/true);
  if (!plan) {
    log::error(plan.err().message);
    return exit_code(plan.err().code);
  }
  report r = report_on(app, *plan);
  if (app.opts.json)
  {
    nlohmann::json doc = {{"exit_code", r.code}, {"references", r.rows}};
    if (!r.remote.is_null()) doc["remote"] = r.remote;
    if (!r.credentials.empty()) doc["credentials"] = r.credentials;
    write_stdout(app.redact->redact(dump(doc)));
  }
  else
    write_stdout(r.text);
  return r.code;
}

}  // namespace mcpl
