#include "launcher/options.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <string_view>

#include "launcher/version.hpp"

namespace mcpl {

namespace {

enum mode_bit : unsigned { kLaunch = 1, kCheck = 2, kRead = 4, kList = 8 };

struct option_spec;

// How an option binds to `options`, and whether it may be given more than once.
struct binder {
  std::function<CLI::Option*(CLI::App&, options&, const option_spec&)> add;
  bool repeatable = false;
};

// One option: spellings, value name ("" for a flag), help, the modes that take it, and how
// it binds to `options`.
struct option_spec {
  std::string names;
  std::string value;
  std::string help;
  unsigned modes;
  binder bind;
};

template <class T>
binder single(T options::*field) {
  return {[field](CLI::App& app, options& o, const option_spec& s) {
    return app.add_option(s.names, o.*field, s.help)->type_name(s.value);
  }};
}

binder repeated(std::vector<std::string> options::*field) {
  return {[field](CLI::App& app, options& o, const option_spec& s) {
            return app.add_option(s.names, o.*field, s.help + "; repeatable")
                ->type_name(s.value)
                ->expected(1)
                ->allow_extra_args(false)
                ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
          },
          true};
}

binder flag(bool options::*field) {
  return {[field](CLI::App& app, options& o, const option_spec& s) {
    return app.add_flag(s.names, o.*field, s.help);
  }};
}

const std::vector<option_spec>& table() {
  static const std::vector<option_spec> specs = {
      {"-c,--config", "FILE", "Config file; later files win by name",
       kLaunch | kCheck | kRead | kList, repeated(&options::configs)},
      {"-s,--server", "NAME", "The server definition to launch (or check)", kLaunch | kCheck,
       single(&options::server)},
      {"--supervise", "", "Stay as the child's parent and init instead of exec'ing it",
       kLaunch, flag(&options::supervise)},
      {"--exec", "", "Exec the child even as PID 1 (it then has PID 1's duties)", kLaunch,
       flag(&options::exec)},
      {"--restart", "POLICY",
       "Supervise: restart the child: no (default), on-failure, always (backoff 1s to 1m)",
       kLaunch, single(&options::restart)},
      {"--refresh", "DURATION",
       "Supervise: resolve again every DURATION; restart the child when a value changed",
       kLaunch, single(&options::refresh)},
      {"--mask", "", "Supervise: replace every resolved value in the child's output with ***",
       kLaunch, flag(&options::mask)},
      {"--stop-signal", "SIG", "Supervise: the signal that stops the child (default TERM)",
       kLaunch, single(&options::stop_signal)},
      {"--stop-timeout", "DURATION",
       "Supervise: SIGKILL when the child has not stopped by then (default 10s)", kLaunch,
       single(&options::stop_timeout)},
      {"--url", "URL", "Bridge to this remote MCP server; references allowed", kLaunch | kCheck,
       single(&options::url)},
      {"--header", "'NAME: VALUE'", "A header for the remote server; references allowed",
       kLaunch | kCheck, repeated(&options::headers)},
      {"--transport", "MODE", "Remote: auto (default), streamable-http or sse", kLaunch | kCheck,
       single(&options::transport)},
      {"--all", "", "Check every server definition of the loaded files", kCheck,
       flag(&options::all)},
      {"--timeout", "DURATION", "Deadline for resolving every reference (default 30s)",
       kLaunch | kCheck | kRead, single(&options::timeout)},
      {"--log-level", "LEVEL",
       "trace, debug, info, warn, error or off (default: $MCP_LAUNCH_LOG, else info)",
       kLaunch | kCheck | kRead | kList,
       {[](CLI::App& app, options& o, const option_spec& s) {
         return app.add_option(s.names, o.log_level, s.help)->type_name(s.value);
       }}},
      {"--quiet", "", "The same as --log-level error", kLaunch | kCheck | kRead | kList,
       {[](CLI::App& app, options& o, const option_spec& s) {
         return app.add_flag_callback(
             s.names, [&o] { o.log_level = "error"; }, s.help);
       }}},
      {"--log-format", "FORMAT", "text or json", kLaunch | kCheck | kRead | kList,
       single(&options::log_format)},
      {"--keep-env", "NAME", "Pass a credential the launcher consumed on to the server",
       kLaunch | kCheck, repeated(&options::keep_env)},
      {"--template-env", "NAME",
       "Wrap mode: only this inherited variable is a template (NAME or PREFIX*)", kLaunch | kCheck,
       repeated(&options::template_env)},
      {"--json", "", "Print JSON", kCheck | kRead | kList, flag(&options::json)},
  };
  return specs;
}

void add_options(CLI::App& app, options& o, unsigned mode) {
  for (const auto& s : table())
    if (s.modes & mode) s.bind.add(app, o, s);
}

// What CLI11 says, in words that tell the user what to do.
std::string plain(const CLI::ParseError& e, bool launch_mode, int argc, char** argv) {
  std::string what = e.what();
  if (launch_mode && dynamic_cast<const CLI::ExtrasError*>(&e)) {
    std::string typed;
    for (int i = 1; i < argc; ++i) typed += std::string(" ") + argv[i];
    return "put -- before the command: mcp-launch [OPTIONS] --" + typed +
           " (everything after -- is the command's)";
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) && what.find("At Most 1") != std::string::npos)
    return what.substr(0, what.find(':')) + " is given more than once; give it once";
  return what + " (see mcp-launch --help)";
}

}  // namespace

std::vector<option_doc> option_docs() {
  std::vector<option_doc> out;
  for (const auto& s : table()) {
    option_doc d;
    std::string_view names = s.names;
    while (!names.empty()) {
      auto comma = names.find(',');
      d.names.emplace_back(names.substr(0, comma));
      names = comma == std::string_view::npos ? "" : names.substr(comma + 1);
    }
    d.value = s.value;
    d.repeatable = s.bind.repeatable;
    for (auto [bit, name] : {std::pair{kLaunch, ""}, std::pair{kCheck, "check"},
                             std::pair{kRead, "read"}, std::pair{kList, "list"}})
      if (s.modes & bit) d.modes.emplace_back(name);
    out.push_back(std::move(d));
  }
  return out;
}

parsed_options parse_options(int argc, char** argv) {
  parsed_options out;
  options& o = out.opts;
  CLI::App app("Resolve secret references, then start an MCP server with them.", "mcp-launch");
  app.set_version_flag("--version", std::string("mcp-launch ") + version_text);
  app.footer(
      "Usage:\n"
      "  mcp-launch [OPTIONS] -- COMMAND [ARG...]\n"
      "  mcp-launch [OPTIONS] --server NAME\n"
      "  mcp-launch [OPTIONS] --url URL [--header 'NAME: VALUE']...\n"
      "  mcp-launch check [OPTIONS] [--server NAME | --all | --url URL | -- COMMAND [ARG...]]\n"
      "  mcp-launch list [OPTIONS]\n"
      "  mcp-launch read [OPTIONS] REFERENCE...\n"
      "Exit codes: 64 usage, 65 content, 69 unavailable, 70 internal, 77 refused, 78 config,\n"
      "126 cannot execute, 127 not found; otherwise the child's own.");
  add_options(app, o, kLaunch);
  bool dry_run = false;
  app.add_flag("--dry-run", dry_run, "The same as check: resolve and report, start nothing");

  auto* check = app.add_subcommand("check", "Resolve every reference and report; start nothing");
  check->footer("Usage: mcp-launch check [OPTIONS] [--server NAME | --all | -- COMMAND [ARG...]]");
  add_options(*check, o, kCheck);
  auto* read = app.add_subcommand("read", "Print resolved values, one per line");
  read->footer("Usage: mcp-launch read [OPTIONS] REFERENCE...");
  add_options(*read, o, kRead);
  read->add_option("reference", o.references,
                   "A reference: secrets.STORE.NAME, env.NAME, file.[PATH]")
      ->required();
  auto* list =
      app.add_subcommand("list", "Show the servers and stores the loaded config files define");
  add_options(*list, o, kList);
  auto* completion = app.add_subcommand("completion", "Print a shell completion script");
  completion->add_option("shell", o.shell, "bash or zsh")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh"}));
  completion->group("");
  app.require_subcommand(0, 1);

  // Everything after the first "--" is COMMAND [ARG...] and belongs to it, options that look
  // like ours included; CLI11 only ever sees what comes before it.
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
    bool launch_mode = app.get_subcommands().empty();
    std::fprintf(stderr, "mcp-launch: error: %s\n", plain(e, launch_mode, split, argv).c_str());
    out.exit_code = 64;
    return out;
  }
  if (check->parsed() || dry_run) o.mode = command_mode::check;
  if (read->parsed()) o.mode = command_mode::read;
  if (list->parsed()) o.mode = command_mode::list;
  if (completion->parsed()) o.mode = command_mode::completion;
  const char* misuse = nullptr;
  if (has_command && o.mode != command_mode::launch && o.mode != command_mode::check)
    misuse = "this command takes no -- COMMAND";
  else if (has_command && o.command.empty())
    misuse = "no COMMAND after --";
  else if ((o.all + !o.server.empty() + has_command + !o.url.empty()) > 1)
    misuse = "give one of --server NAME, --url URL, -- COMMAND (or, for check, --all)";
  else if (o.supervise && o.exec)
    misuse = "give --supervise or --exec, not both";
  else if (o.restart != "no" && o.restart != "on-failure" && o.restart != "always")
    misuse = "--restart takes no, on-failure or always";
  else if (!o.transport.empty() && o.transport != "auto" && o.transport != "streamable-http" &&
           o.transport != "sse")
    misuse = "--transport takes auto, streamable-http or sse";
  if (misuse) {
    std::fprintf(stderr, "mcp-launch: error: %s\n", misuse);
    out.exit_code = 64;
  }
  return out;
}

}  // namespace mcpl
