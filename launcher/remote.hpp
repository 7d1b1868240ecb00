// Running a remote server's plan: its resolved values, and the bridge (DESIGN §9).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "bridge/auth.hpp"
#include "bridge/bridge.hpp"
#include "launcher/modes.hpp"

namespace mcpl {

/// A remote plan with its references resolved.
struct remote_values {
  std::string url;
  http_headers headers;
  std::optional<std::string> client_id, client_secret, private_key;
};

/// Inserts the resolved values of `run` (the plan's references, as all_references() lists
/// them) into the URL, headers and OAuth fields of `r`. Fails with errc::config for a URL that
/// does not parse or a `| file` reference, errc::content for a header value with a line break.
result<remote_values> render_remote(const remote_target& r, const resolution_run& run);

/// Begins feeding a bridge (stdin, or check's own initialize); returns what must live as long
/// as the bridge runs (the stdin reader), or nothing.
using bridge_starter = std::function<std::shared_ptr<void>(remote_bridge&)>;

/// Runs a bridge to the remote server of `plan` with its `values` until it ends; returns its
/// exit code. Each line for the client goes to `write`. SIGINT, SIGTERM and SIGHUP end it
/// (128+N).
int run_remote(const app_context& app, const launch_plan& plan, const remote_values& values,
               relay::writer write, const bridge_starter& start);

/// Bridges stdin and stdout to the remote server of `plan`, whose references `run` resolved,
/// until stdin ends (0), the server is gone (69) or refuses the credentials (77), or a
/// signal comes (128+N). `summary` is the launch's info line, said once the values fit.
int launch_remote(const app_context& app, const launch_plan& plan, const resolution_run& run,
                  const std::string& summary);

/// What `check` says of a remote server: whether it answered `initialize`, with which
/// protocol revision; the exit code the bridge would have at start.
struct remote_probe {
  int code = 0;
  std::string line;    ///< for the text report
  nlohmann::json row;  ///< for --json: origin, status, protocolVersion, server or error
};

/// Sends one `initialize` through the bridge (values from `run`), then ends the session.
remote_probe probe_remote(const app_context& app, const launch_plan& plan,
                          const resolution_run& run);

}  // namespace mcpl
