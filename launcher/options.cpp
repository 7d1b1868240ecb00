#include "launcher/options.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string_view>

namespace mcpl {

namespace {

// The options every mode accepts; check and read take them after their own name too.
void add_common(CLI::App& app, options& o) {
  app.add_option("-c,--config", o.configs, "Config file; repeatable, later files win by name")
      ->allow_extra_args(false);
  app.add_option("--timeout", o.timeout, "Deadline for resolving every reference (default 30s)");
  app.add_option("--log-level", o.log_level,
                 "trace, debug, info, warn, error, off (env MCP_LAUNCH_LOG)");
  app.add_option("--log-format", o.log_format, "text or json");
  app.add_option("--keep-env", o.keep_env,
                 "Keep a consumed credential variable for the child; repeatable")
      ->allow_extra_args(false);
}

// Wrap mode's filter of inherited variables, for launching and for check.
void add_template_env(CLI::App& app, options& o) {
  app.add_option("--template-env", o.template_env,
                 "Wrap mode: only this inherited variable is a template (NAME or PREFIX*); "
                 "repeatable")
      ->allow_extra_args(false);
}

}  // namespace

parsed_options parse_options(int argc, char** argv) {
  parsed_options out;
  options& o = out.opts;
  CLI::App app("Resolve secret references, then start an MCP server with them.", "mcp-launch");
  app.set_version_flag("--version", "mcp-launch " MCPL_VERSION);
  app.footer(
      "Usage:\n"
      "  mcp-launch [OPTIONS] -- COMMAND [ARG...]\n"
      "  mcp-launch [OPTIONS] --server NAME\n"
      "  mcp-launch check [OPTIONS] [--server NAME | -- COMMAND [ARG...]]\n"
      "  mcp-launch read [OPTIONS] REFERENCE...\n"
      "Exit codes: 64 usage, 65 content, 69 unavailable, 70 internal, 77 refused, 78 config,\n"
      "126 cannot execute, 127 not found; otherwise the child's own.");
  add_common(app, o);
  app.add_option("-s,--server", o.server, "Server definition to launch");
  add_template_env(app, o);
  app.add_flag("--supervise", o.supervise, "Stay as the parent instead of exec");

  auto* check = app.add_subcommand("check", "Resolve every reference and report, starting nothing");
  add_common(*check, o);
  check->add_option("-s,--server", o.server, "Server definition to check");
  add_template_env(*check, o);
  check->add_flag("--json", o.json, "Print JSON");

  auto* read = app.add_subcommand("read", "Print resolved values, one per line");
  add_common(*read, o);
  read->add_flag("--json", o.json, "Print JSON");
  read->add_option("reference", o.references, "References, such as secrets.vault.github")
      ->required();
  app.require_subcommand(0, 1);

  // Everything after the first "--" is COMMAND [ARG...] and belongs to the child, options
  // that look like ours included; CLI11 only ever sees what comes before it.
  int split = 1;
  while (split < argc && std::string_view(argv[split]) != "--") ++split;
  for (int i = split + 1; i < argc; ++i) o.command.emplace_back(argv[i]);
  bool has_command = split < argc;
  try {
    app.parse(split, argv);
  } catch (const CLI::CallForHelp& e) {
    out.exit_code = app.exit(e);
    return out;
  } catch (const CLI::CallForVersion& e) {
    out.exit_code = app.exit(e);
    return out;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "mcp-launch: error: %s (see mcp-launch --help)\n", e.what());
    out.exit_code = 64;
    return out;
  }
  if (check->parsed()) o.mode = command_mode::check;
  if (read->parsed()) o.mode = command_mode::read;
  if (has_command && (o.mode == command_mode::read || o.command.empty())) {
    std::fprintf(stderr, "mcp-launch: error: %s\n",
                 o.mode == command_mode::read ? "read takes references, not -- COMMAND"
                                              : "no COMMAND after --");
    out.exit_code = 64;
  }
  return out;
}

}  // namespace mcpl
