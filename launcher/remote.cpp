// A remote server (DESIGN §9): its references resolved, the bridge runs between the
// launcher's own stdin and stdout and the server until stdin ends, the server is gone, or a
// signal comes.
#include <signal.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "bridge/bridge.hpp"
#include "bridge/framing.hpp"
#include "launcher/logging.hpp"
#include "launcher/network.hpp"
#include "launcher/remote.hpp"
#include "launcher/remote_plan.hpp"
#include "platform/stdio.hpp"

namespace mcpl {

result<remote_values> render_remote(const remote_target& r, const resolution_run& run) {
  for (const auto& ref : run.refs)
    if (ref.as_file)
      return fail(errc::config, ref.where + ": " + ref.text +
                                    ": `| file` makes a path for a child process; a remote "
                                    "server has none");
  std::vector<std::string> resolved;
  for (const auto& r : run.results) resolved.push_back(*r.value);
  field_values values(std::move(resolved));
  remote_values out;
  auto url = render_url(r.url, values.next(r.url));
  if (!url) return url.err();
  out.url = std::move(*url);
  for (const auto& [name, f] : r.headers) {
    std::string value = values.render(f);
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
      return fail(errc::content, f.where + ": the value would break the header's line");
    out.headers.emplace_back(name, std::move(value));
  }
  for (auto [from, to] : {std::pair{&r.client_id, &out.client_id},
                          {&r.client_secret, &out.client_secret},
                          {&r.private_key, &out.private_key}})
    if (*from) *to = values.render(**from);
  return out;
}

namespace {

// Reads stdin line by line into the bridge until it ends.
asio::awaitable<void> pump_stdin(input_stream& in, remote_bridge& bridge) {
  line_reader lines;
  for (;;) {
    auto got = co_await in.read_some();
    if (!got) log::warn(got.err().message);
    if (!got || got->empty()) break;
    for (auto& line : lines.feed(*got)) {
      if (line)
        bridge.receive(std::move(*line));
      else
        log::warn("stdin: " + line.err().message + "; skipped");
    }
  }
  if (auto last = lines.finish()) bridge.receive(std::move(*last));
  bridge.end_of_input();
}

// After a 401: every reference resolved once more (a new resolution has a new cache), the
// headers rendered again.
header_resolver resolve_again(const app_context& app, const launch_plan& plan) {
  bool headers_hold_references = false;
  for (const auto& [name, f] : plan.remote->headers) headers_hold_references |= !f.refs.empty();
  if (!headers_hold_references) return nullptr;
  return [&app, &plan]() -> result<http_headers> {
    log::info("the remote server refused the headers; resolving their references again");
    auto run = run_resolution(plan.all_references(), *app.stores, app.env, app.settings,
                              *app.redact);
    if (run.worst) {
      report_failures(run);
      return fail(*run.worst, "resolving the headers again failed");
    }
    auto values = render_remote(*plan.remote, run);
    if (!values) return values.err();
    return std::move(values->headers);
  };
}

}  // namespace

int run_remote(const app_context& app, const launch_plan& plan, const remote_values& values,
               relay::writer write, const bridge_starter& start) {
  asio::io_context io(1);
  auto settings = read_network_settings(app.env);
  // Each call in flight holds a connection while its answer streams; the stores' bound of
  // 32 would queue the 33rd call behind a slow one.
  settings.limits.max_connections_per_origin = 1024;
  settings.limits.request_timeout = std::chrono::hours(24);  // a tool call may take its time
  settings.limits.connect_timeout =
      std::min<std::chrono::milliseconds>(app.settings.timeout, std::chrono::seconds(10));
  auto http = make_https_client(settings);
  if (!http) {
    log::error(http.err().message);
    return exit_code(http.err().code);
  }
  std::unique_ptr<authenticator> auth;
  if (values.client_id) {
    oauth_settings o;
    o.client = {*values.client_id, values.client_secret.value_or(""),
                values.private_key.value_or(""), plan.remote->signing_algorithm,
                plan.remote->scopes};
    o.server_url = values.url;
    o.headers = values.headers;
    o.timeout = app.settings.timeout;
    o.note_secret = [redact = app.redact](std::string_view secret) { redact->add(secret); };
    auth = make_oauth_auth(**http, std::move(o), log_notes(app.redact));
  } else {
    auth = make_static_auth(values.headers, resolve_again(app, plan));
  }
  relay client(std::move(write), log_notes(app.redact));
  bridge_settings bs{values.url, plan.remote->transport, app.settings.timeout};
  remote_bridge bridge(io.get_executor(), **http, *auth, client, log_notes(app.redact), bs);
  asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (!ec) bridge.stop(128 + sig);
  });
  // What `start` keeps alive goes before the io_context (declared first) it works on.
  std::shared_ptr<void> feeding = start(bridge);
  int code = 0;
  asio::co_spawn(io, bridge.finished(), [&](std::exception_ptr e, int c) {
    code = e ? exit_code(errc::internal) : c;
    io.stop();
  });
  io.run();
  return code;
}

int launch_remote(const app_context& app, const launch_plan& plan, const resolution_run& run,
                  const std::string& summary) {
  auto values = render_remote(*plan.remote, run);
  if (!values) {
    log::error(values.err().message);
    return exit_code(values.err().code);
  }
  log::info(summary);
  bool client_gone = false;
  auto to_stdout = [&client_gone](std::string_view line) {
    if (client_gone) return;
    if (auto r = write_all(STDOUT_FILENO, line); !r) {
      log::debug(r.err().message + ": the client is gone");
      client_gone = true;
    }
  };
  return run_remote(app, plan, *values, to_stdout, [](remote_bridge& bridge) {
    std::shared_ptr<input_stream> in = open_input(bridge.executor(), STDIN_FILENO);
    asio::co_spawn(bridge.executor(), pump_stdin(*in, bridge), asio::detached);
    return std::shared_ptr<void>(in);
  });
}

}  // namespace mcpl
