// The command line of DESIGN §2, parsed into a plain struct. One table of options drives
// the parser, the help and the shell completions, so the three cannot disagree.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace mcpl {

enum class command_mode { launch, check, read, list, completion };

struct options {
  command_mode mode = command_mode::launch;
  std::vector<std::string> configs;
  std::string server;
  std::string url;                   ///< --url: a remote server
  std::vector<std::string> headers;  ///< --header 'NAME: VALUE'
  std::string transport;             ///< --transport: "" (the definition's, else auto)
  bool all = false;  ///< check --all
  bool supervise = false;
  bool exec = false;  ///< --exec: exec even as PID 1
  std::string restart = "no";          ///< supervise: no, on-failure, always
  std::string refresh;                 ///< supervise: re-resolve every DURATION ("" never)
  bool mask = false;                   ///< supervise: mask resolved values in the child's output
  std::string stop_signal = "TERM";    ///< supervise: how the launcher stops its child
  std::string stop_timeout = "10s";    ///< then SIGKILL
  std::string timeout = "30s";
  std::optional<std::string> log_level;  ///< unset: $MCP_LAUNCH_LOG, else info
  std::string log_format = "text";
  bool json = false;
  std::vector<std::string> keep_env;
  std::vector<std::string> template_env;  ///< wrap mode: only these variables are templates
  std::vector<std::string> command;       ///< COMMAND ARG... after --
  std::vector<std::string> references;    ///< for read
  std::string shell;                      ///< for completion: bash or zsh
};

/// What parsing decided: run with `opts`, or exit now with `exit_code` (after --help,
/// --version, or a usage error already printed to stderr).
struct parsed_options {
  options opts;
  std::optional<int> exit_code;
};

parsed_options parse_options(int argc, char** argv);

/// One option as the completions need it: its spellings, whether it takes a value (and
/// which kind: "FILE", "NAME", …), and the subcommands it belongs to ("" is the launcher
/// itself).
struct option_doc {
  std::vector<std::string> names;  ///< "-c", "--config"
  std::string value;               ///< "" for a flag
  bool repeatable = false;         ///< may be given more than once (-c, --keep-env, …)
  std::vector<std::string> modes;  ///< "", "check", "read", "list"
};

/// Every option of the table, for the completions.
std::vector<option_doc> option_docs();

}  // namespace mcpl
