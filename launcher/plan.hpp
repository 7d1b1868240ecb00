// What a launch will exec, as templates: the command, its arguments, the child's
// environment and working directory, each with its references bound to stores.
#pragma once

#include <optional>
#include <set>
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
  std::vector<std::string> host_vars;  ///< variables its `${…}` forms expanded, in order
};

/// A remote server (DESIGN §9): nothing to exec; the URL, the headers and the OAuth client
/// credentials are the templates.
struct remote_target {
  template_field url;
  std::vector<std::pair<std::string, template_field>> headers;  ///< in order
  std::optional<template_field> client_id, client_secret, private_key;
  std::string signing_algorithm;  ///< RS256, ES256, or "" (from the key)
  std::vector<std::string> scopes;
  std::string transport = "auto";  ///< auto, streamable-http or sse
};

struct launch_plan {
  std::string label;  ///< the server's name, or the command, for the summary line
  bool from_definition = false;  ///< --server NAME, not -- COMMAND
  template_field command;
  std::vector<template_field> args;
  std::vector<std::pair<std::string, template_field>> env;  ///< the child's, in order
  std::optional<template_field> cwd;
  std::optional<remote_target> remote;  ///< a remote server: the bridge, not an exec

  /// Every reference of the launch, in order of appearance (duplicates included).
  std::vector<bound_reference> all_references() const;
  /// True when COMMAND or an ARG holds a reference (visible to every user through ps).
  bool references_in_argv() const;
};

/// Parses `text` into a field named `where`, binding its references to `stores`; host
/// variables (`${…}`) are expanded in its literal runs when `host_env` is given. Fails with
/// errc::config naming `where` and the column. `lenient`: see make_plan.
result<template_field> make_field(const std::string& text, std::string where,
                                  const store_catalogue& stores, const environment* host_env,
                                  bool lenient);

/// The resolved values of a launch's references, handed out field by field: fields must be
/// taken in the order launch_plan::all_references() lists their references.
class field_values {
 public:
  explicit field_values(std::vector<std::string> values) : values_(std::move(values)) {}

  /// The values of `f`'s references, in order.
  std::vector<std::string> next(const template_field& f);

  /// `f` with its values in place of its references.
  std::string render(const template_field& f);

 private:
  std::vector<std::string> values_;
  std::size_t next_ = 0;
};

/// Which inherited variables wrap mode reads as templates: every one (empty), or those that
/// `--template-env` names (`NAME`, or `PREFIX*`).
using template_env_filter = std::vector<std::string>;

/// Fails with errc::usage for a `--template-env` pattern with a `*` anywhere but at its end.
result<void> check_template_env(const template_env_filter& filter);

/// Wrap mode: COMMAND ARGS from the command line, and the launcher's environment, whose
/// values are templates where `filter` lets them be (never $MCP_LAUNCH_CONFIG_JSON: it is the
/// configuration, not something for the child). Fails with errc::config naming the argument
/// or variable and the column of a bad reference.
result<launch_plan> plan_wrap(const std::vector<std::string>& command, const environment& env,
                              const store_catalogue& stores, const template_env_filter& filter = {},
                              bool lenient = false);

/// --server NAME: the definition's command, args, cwd and env, with host variables (${…})
/// expanded in literal text; the launcher's environment passes to the child as it is, under
/// the definition's env. Nothing of the environment or of other definitions is a template.
result<launch_plan> plan_server(const server_def& def, const environment& env,
                                const store_catalogue& stores, bool lenient = false);

/// Warns about each `--keep-env` name that keeps nothing: a comma list (the option takes one
/// name and is repeated), or a variable the launch did not consume (it reaches the child
/// anyway, or does not exist).
void warn_idle_keep_env(const std::vector<std::string>& keep,
                        const std::set<std::string>& consumed);

/// Fails with errc::config when a field of `plan` hands a variable in `consumed` (a
/// credential the launcher read to reach a store) to the child under any name — through
/// `{{ env.NAME }}`, an `env` store, or a `${NAME}` form — and `keep` does not name it
/// (DESIGN §6).
result<void> check_handoffs(const launch_plan& plan, const std::set<std::string>& consumed,
                            const std::vector<std::string>& keep, const store_catalogue& stores);

/// The plan of `--server NAME` or `-- COMMAND`, as the options say. Fails with errc::usage
/// for both or neither, errc::config for an unknown server (naming the files loaded).
/// `lenient` (for `check`): a reference to an unknown store or mapping does not fail the plan
/// but is kept, marked `unbound`, so that every reference can be reported.
result<launch_plan> make_plan(const options& o, const config& cfg, const environment& env,
                              const store_catalogue& stores, bool lenient = false);

}  // namespace mcpl
