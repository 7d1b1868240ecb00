
#include <map>

#include "launcher/logging.hpp"
#include "launcher/modes.hpp"
#include "launcher/preflight.hpp"
#include "launcher/remote.hpp"
#include "platform/memfd.hpp"
#include "platform/process.hpp"

namespace mcpl {

namespace {

// Variables never handed to the child unless kept: an inline config may hold credentials.
constexpr const char* kLauncherOnly[] = {"MCP_LAUNCH_CONFIG_JSON"};

// And in supervise mode the service manager's, which are for the service's main process:
// the launcher (DESIGN §8).
constexpr const char* kServiceVariables[] = {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"};

bool one_of(const std::string& name, const auto& names) {
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

// Turns resolved references into the text each one inserts: the value, or for `| file`
// the path of a sealed memfd holding it (one memfd per distinct value). A value with a NUL
// byte (binary secrets) can only go as a file.
result<std::vector<std::string>> insertions(const resolution_run& run) {
  std::vector<std::string> out;
  std::map<std::string, std::string> files;  // key + selector → path
  for (std::size_t i = 0; i < run.refs.size(); ++i) {
    const auto& ref = run.refs[i];
    const std::string& value = *run.results[i].value;
    if (!ref.as_file) {
      // execve ends every argument and variable at its first NUL: the child would get a
      // shortened secret without anyone noticing.
      if (value.find('\0') != std::string::npos)
        return fail(errc::content, ref.text +
                                       ": the value holds a NUL byte, which an argument or "
                                       "environment variable cannot carry; deliver it as a "
                                       "file with `| file`");
      out.push_back(value);
      continue;
    }
    std::string id = ref.key() + '#' + ref.selector + (ref.trim ? "|trim" : "");
    auto it = files.find(id);
    if (it == files.end()) {
      auto path = make_memfd_secret(value);
      if (!path) return std::move(path).err();
      it = files.emplace(id, std::move(*path)).first;
    }
    out.push_back(it->second);
  }
  return out;
}

bool kept(const options& o, const std::string& name) {
  return std::find(o.keep_env.begin(), o.keep_env.end(), name) != o.keep_env.end();
}

std::string summary(const launch_plan& plan, const resolution_run& run) {
  if (run.refs.empty()) return "starting " + plan.label + ": no references";
  std::string stores;
  for (const auto& s : run.stores) stores += (stores.empty() ? "" : ", ") + s;
  std::size_t distinct = 0;
  std::set<std::string> keys;
  for (const auto& r : run.refs) distinct += keys.insert(r.key()).second;
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.1f", static_cast<double>(run.elapsed.count()) / 1000.0);
  std::size_t n = run.refs.size();
  return "starting " + plan.label + ": " + std::to_string(n) +
         (n == 1 ? " reference (" : " references (") + std::to_string(distinct) +
         " distinct) from " + stores + " resolved in " + ms + " ms";
}

}  // namespace

result<prepared_child> prepare_child(const app_context& app, const launch_plan& plan,
                                     const resolution_run& run) {
  auto values = insertions(run);
  if (!values) return values.err();
  field_values fields(std::move(*values));
  prepared_child child;
  exec_request& req = child.exec;
  req.argv.push_back(fields.render(plan.command));
  for (const auto& a : plan.args) req.argv.push_back(fields.render(a));
  for (const auto& [name, field] : plan.env) {
    std::string value = fields.render(field);
    bool launchers = run.consumed_env.count(name) > 0 || one_of(name, kLauncherOnly) ||
                     (supervising(app.opts) && one_of(name, kServiceVariables));
    if (launchers && !kept(app.opts, name)) {
      log::debug(std::string("not passing ") + name +
                 " to the child: it is the launcher's (--keep-env " + name + " keeps it)");
      continue;
    }
    if (name == "PATH") req.search_path = value;
    req.envp.push_back(name + "=" + value);
  }
  child.cwd = plan.cwd ? fields.render(*plan.cwd) : std::string();
  return child;
}

int run_launch(const app_context& app) {
  auto plan = make_plan(app.opts, app.cfg, app.env, *app.stores);
  if (!plan) {
    log::error(plan.err().message);
    return exit_code(plan.err().code);
  }
  auto refs = plan->all_references();
  if (plan->references_in_argv())
    log::warn(
        "a reference in COMMAND or an ARG puts a secret where every user can read it "
        "(ps, /proc/PID/cmdline); prefer env");
  // A supervising launcher keeps its stores (connections, login tokens) to resolve again.
  std::unique_ptr<resolution_home> home;
  if (supervising(app.opts))
    home = std::make_unique<resolution_home>(*app.stores, app.env, app.settings, *app.redact);
  auto run = home
                 ? home->session.resolve_now(std::move(refs))
                 : run_resolution(std::move(refs), *app.stores, app.env, app.settings, *app.redact);
  if (run.worst) {
    report_failures(run);
    return exit_code(*run.worst);
  }
  for (const auto& r : run.refs) log::trace(std::string("resolved ") + r.text);
  warn_idle_keep_env(app.opts.keep_env, run.consumed_env);
  if (plan->remote) return launch_remote(app, *plan, run, summary(*plan, run));
  if (auto r = check_handoffs(*plan, run.consumed_env, app.opts.keep_env, *app.stores); !r) {
    log::error(r.err().message);
    return exit_code(r.err().code);
  }

  auto child = prepare_child(app, *plan, run);
  if (!child) {
    log::error(child.err().message);
    return exit_code(child.err().code);
  }
  log::info(summary(*plan, run));
  if (home) {
    std::vector<std::string> values;
    for (const auto& v : run.results) values.push_back(*v.value);
    return run_supervise(app, *plan, *child, std::move(values), *home);
  }
  exec_request& req = child->exec;

  if (!child->cwd.empty()) {
    if (auto r = change_directory(child->cwd); !r) {
      log::error(plan->cwd->where + ": " + r.err().message);
      return exit_code(r.err().code);
    }
  }
  // A definition's command is looked up first, to refuse the launcher itself; for a command
  // line the exec below finds the command, and fails as the lookup would.
  if (auto r = plan->from_definition ? check_command(*plan, req.argv[0], req.search_path)
                                     : result<void>();
      !r) {
    log::error(r.err().message);
    return exit_code(r.err().code);
  }
  if (auto r = restore_core_limit(app.inherited_core_limit); !r) {
    log::error(r.err().message);
    return exit_code(r.err().code);
  }
  if (auto r = restore_signal_state(app.inherited_signals); !r) {
    log::error(r.err().message);
    return exit_code(r.err().code);
  }
  error failed = exec_command(req);
  log::error(failed.message);
  return exit_code(failed.code);
}

}  // namespace mcpl
