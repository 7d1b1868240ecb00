#include <cstdio>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "launcher/modes.hpp"

namespace mcpl {

result<launch_plan> make_plan(const app_context& app) {
  const options& o = app.opts;
  if (!o.server.empty() && !o.command.empty())
    return fail(errc::usage, "give either --server NAME or -- COMMAND, not both");
  if (!o.server.empty()) {
    auto it = app.cfg.servers.find(o.server);
    if (it == app.cfg.servers.end()) {
      std::string known;
      for (const auto& [name, def] : app.cfg.servers) known += (known.empty() ? "" : ", ") + name;
      std::string files;
      for (const auto& f : app.cfg.files) files += (files.empty() ? "" : ", ") + f;
      return fail(errc::config, "unknown server '" + o.server + "' (" +
                                    (files.empty() ? "no config file was loaded"
                                                   : "servers in " + files + ": " +
                                                         (known.empty() ? "none" : known)) +
                                    ")");
    }
    return plan_server(it->second, app.env, *app.stores);
  }
  return plan_wrap(o.command, app.env, *app.stores);
}

namespace {

double millis(std::chrono::microseconds us) { return static_cast<double>(us.count()) / 1000.0; }

}  // namespace

int run_check(const app_context& app) {
  auto plan = make_plan(app);
  if (!plan) {
    spdlog::error("{}", plan.err().message);
    return exit_code(plan.err().code);
  }
  auto run = run_resolution(plan->all_references(), *app.stores, app.env, app.settings);
  for (const auto& r : run.results)
    if (r.value) app.redact->add(*r.value);

  // Each distinct reference once, in order of appearance; values never, lengths only.
  std::vector<std::size_t> rows;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < run.refs.size(); ++i)
    if (seen.insert(run.refs[i].text).second) rows.push_back(i);
  int code = run.worst ? exit_code(*run.worst) : 0;

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
      } else {
        row["status"] = describe(res.value.err().code);
        row["exit_code"] = exit_code(res.value.err().code);
        row["error"] = res.value.err().message;
      }
      out["references"].push_back(std::move(row));
    }
    std::string text = app.redact->redact(out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
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
      line = ref.text + "  store=" + store_label(ref.store) + "  ok  " + latency + "  length=" +
             std::to_string(res.value->size());
    else
      line = ref.text + "  store=" + store_label(ref.store) + "  " +
             describe(res.value.err().code) + "  " + latency + "  " + res.value.err().message;
    std::printf("%s\n", app.redact->redact(line).c_str());
  }
  return code;
}

int run_read(const app_context& app) {
  std::vector<bound_reference> refs;
  for (const auto& text : app.opts.references) {
    auto ref = parse_single_reference(text);
    if (!ref) {
      spdlog::error("{}", ref.err().message);
      return exit_code(ref.err().code);
    }
    if (ref->as_file) {
      spdlog::error("'{}': '| file' has no meaning for read", text);
      return exit_code(errc::usage);
    }
    auto bound = app.stores->bind(*ref);
    if (!bound) {
      spdlog::error("'{}': {}", text, bound.err().message);
      return exit_code(bound.err().code);
    }
    refs.push_back(std::move(*bound));
  }
  auto run = run_resolution(std::move(refs), *app.stores, app.env, app.settings);
  if (run.worst) {
    report_failures(run);
    return exit_code(*run.worst);
  }
  for (const auto& r : run.results) app.redact->add(*r.value);
  if (app.opts.json) {
    nlohmann::json out = nlohmann::json::object();
    for (std::size_t i = 0; i < run.refs.size(); ++i)
      out[app.opts.references[i]] = *run.results[i].value;
    std::string text = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
  } else {
    for (const auto& r : run.results) {
      std::fwrite(r.value->data(), 1, r.value->size(), stdout);
      std::fputc('\n', stdout);
    }
  }
  return std::fflush(stdout) == 0 ? 0 : exit_code(errc::internal);
}

}  // namespace mcpl
