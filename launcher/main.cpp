// mcp-launch: parse options, read the environment and configuration once, build the
// objects, run the mode, and map failures to exit codes (DESIGN §10). Nothing else.
#include <unistd.h>

#include <cstdio>
#include <exception>

#include "core/duration.hpp"
#include "launcher/completion.hpp"
#include "launcher/loader_variables.hpp"
#include "launcher/logging.hpp"
#include "launcher/modes.hpp"

extern char** environ;

namespace {

mcpl::environment read_environment() {
  mcpl::environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    env.emplace(entry.substr(0, eq), entry.substr(eq + 1));  // the first of duplicates wins
  }
  mcpl::release_loader_variables(env);
  return env;
}

int usage_error(const mcpl::error& e) {
  std::fprintf(stderr, "mcp-launch: error: %s\n", e.message.c_str());
  return mcpl::exit_code(e.code);
}

int run(int argc, char** argv, std::shared_ptr<mcpl::redactor> redact) {
  using namespace mcpl;
  app_context app;
  app.redact = std::move(redact);
  auto signals = capture_signal_state();
  if (!signals) return usage_error(signals.err());
  app.inherited_signals = *signals;
  // Before anything is read: a config file may hold credentials, and every mode holds secrets.
  auto core = harden_process();
  if (!core) return usage_error(core.err());
  app.inherited_core_limit = *core;
  if (auto r = ignore_sigpipe(); !r) return usage_error(r.err());

  auto parsed = parse_options(argc, argv);
  if (parsed.exit_code) return *parsed.exit_code;
  app.opts = std::move(parsed.opts);
  if (app.opts.mode == command_mode::completion) {
    return write_stdout(completion_script(app.opts.shell)) ? 0 : exit_code(errc::internal);
  }
  app.env = read_environment();

  std::string level_text = app.opts.log_level.value_or(
      app.env.count("MCP_LAUNCH_LOG") ? app.env.at("MCP_LAUNCH_LOG") : "info");
  auto level = parse_log_level(level_text);
  if (!level) return usage_error(level.err());
  auto format = parse_log_format(app.opts.log_format);
  if (!format) return usage_error(format.err());
  if (auto r = check_template_env(app.opts.template_env); !r) return usage_error(r.err());
  auto timeout = parse_duration(app.opts.timeout);
  if (!timeout) return usage_error(timeout.err());
  setup_logging(*level, *format, app.redact);

  if (app.opts.mode == command_mode::launch && app.opts.server.empty() && app.opts.command.empty() &&
      app.opts.url.empty())
    return usage_error(fail(errc::usage,
                            "nothing to launch: give --server NAME, --url URL or -- COMMAND "
                            "[ARG...] (see --help)"));

  if (!app.opts.template_env.empty() && !app.opts.server.empty())
    log::warn(
        "--template-env has no effect with --server: only the definition's own fields "
        "are templates there");

  auto cfg = load_config(config_sources{app.opts.configs}, app.env);
  if (!cfg) {
    log::error(cfg.err().message);
    return exit_code(cfg.err().code);
  }
  app.cfg = std::move(*cfg);
  auto stores = store_catalogue::make(app.cfg.stores);
  if (!stores) {
    log::error(stores.err().message);
    return exit_code(stores.err().code);
  }
  app.stores = &*stores;
  app.settings.timeout = *timeout;
  app.settings.timeout_text = app.opts.timeout;
  if (app.cfg.cache_ttl) app.settings.cache_ttl = *app.cfg.cache_ttl;

  switch (app.opts.mode) {
    case command_mode::check:
      return run_check(app);
    case command_mode::read:
      return run_read(app);
    case command_mode::launch:
      return run_launch(app);
    case command_mode::list:
      return run_list(app);
    case command_mode::completion:
      break;
  }
  return exit_code(errc::internal);
}

}  // namespace

int main(int argc, char** argv) {
  mcpl::reexec_without_loader_variables(argv);
  // Made here, so that even an exception's text is redacted on its way out.
  auto redact = std::make_shared<mcpl::redactor>();
  try {
    return run(argc, argv, redact);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mcp-launch: internal error: %s\n", redact->present(e.what()).c_str());
  } catch (...) {
    std::fprintf(stderr, "mcp-launch: internal error\n");
  }
  return 70;
}
