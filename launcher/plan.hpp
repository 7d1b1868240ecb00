// What a launch will exec, as templates: the command, its arguments, the child's
// environment and working directory, each with its references bound to stores.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "launcher/config.hpp"
#include "launcher/options.hpp"
#include "resolver/reference.hpp"
#include "resolver/stores.hpp"

namespace mcpl {

/// One string of the launch and the references in it.
struct template_field {
  std::string where;  ///< "argument 1", "environment variable X", "FILE: mcpServers.x.args[0]"
  parsed_template parsed;
  std::vector<bound_reference> refs;  ///< one per reference segment, in order
};

struct launch_plan {
  std::string label;  ///< the server's name, or the command, for the summary line
  template_field command;
  std::vector<template_field> args;
  std::vector<std::pair<std::string, template_field>> env;  ///< the child's, in order
  std::optional<template_field> cwd;

  /// Every reference of the launch, in order of appearance (duplicates included).
  std::vector<bound_reference> all_references() const;
  /// True when COMMAND or an ARG holds a reference (visible to every user through ps).
  bool references_in_argv() const;
};

/// Wrap mode: COMMAND ARGS from the command line, the launcher's environment. Fails with
/// errc::config naming the argument or variable and the column of a bad reference.
result<launch_plan> plan_wrap(const std::vector<std::string>& command, const environment& env,
                              const store_catalogue& stores);

/// --server NAME: the definition's command, args, cwd, and the launcher's environment
/// overlaid with the definition's env; host variables (${…}) are expanded in literal text.
result<launch_plan> plan_server(const server_def& def, const environment& env,
                                const store_catalogue& stores);

/// The plan of `--server NAME` or `-- COMMAND`, as the options say. Fails with errc::usage
/// for both or neither, errc::config for an unknown server (naming the files loaded).
result<launch_plan> make_plan(const options& o, const config& cfg, const environment& env,
                              const store_catalogue& stores);

}  // namespace mcpl
