#include "launcher/resolution.hpp"

#include <boost/asio/co_spawn.hpp>

#include "launcher/logging.hpp"
#include "launcher/network.hpp"
#include "platform/run_program.hpp"
#include "providers/registry.hpp"
#include "resolver/engine.hpp"

namespace mcpl {

struct resolution_session::parts {
  parts(asio::io_context& io, const store_catalogue& stores, const environment& env,
        const resolution_settings& s, redactor& redact, reaper* reap)
      : settings(s),
        network(read_network_settings(env)),
        cache(s.cache_ttl),
        engine(stores, make_provider, context(io, env, redact, reap), cache, &redact) {
    engine.name_deadline("--timeout " + s.timeout_text);
  }

  provider_context context(asio::io_context& io, const environment& env, redactor& redact,
                           reaper* reap) {
    provider_context ctx{io.get_executor(), &env, {}, {}, {}, {}, 0};
    ctx.run_program = [reap](exec_request req, std::chrono::steady_clock::time_point deadline) {
      return mcpl::run_program(std::move(req), deadline, reap);
    };
    ctx.note_secret = [&redact](std::string_view secret) { redact.add(secret); };
    ctx.http = [this](const std::string& ca_file,
                      std::size_t max_connections) -> result<std::unique_ptr<http_client>> {
      auto s = network;
      s.ca_file = ca_file;
      if (max_connections > 0) s.limits.max_connections_per_origin = max_connections;
      auto made = make_https_client(s);
      if (made) clients.push_back(made->get());
      return made;
    };
    return ctx;
  }

  void log_network() const {
    if (clients.empty()) return;
    http_stats total;
    for (auto* c : clients) {
      total.requests += c->stats().requests;
      total.connections += c->stats().connections;
    }
    log::debug("network: " + std::to_string(total.requests) + " requests over " +
               std::to_string(total.connections) + " connections");
  }

  const resolution_settings& settings;
  network_settings network;
  std::vector<http_client*> clients;  // owned by the providers, which the engine owns
  secret_cache cache;
  resolution_engine engine;
};

resolution_session::resolution_session(asio::io_context& io, const store_catalogue& stores,
                                       const environment& env, const resolution_settings& settings,
                                       redactor& redact, reaper* reap)
    : io_(io), p_(std::make_unique<parts>(io, stores, env, settings, redact, reap)) {}

resolution_session::~resolution_session() = default;

asio::awaitable<resolution_run> resolution_session::resolve(std::vector<bound_reference> refs,
                                                            bool fresh) {
  resolution_run run;
  run.refs = std::move(refs);
  if (run.refs.empty()) co_return run;
  auto start = std::chrono::steady_clock::now();
  // References that could not be bound (check goes on past them) fail as they are.
  std::vector<bound_reference> bound;
  for (const auto& r : run.refs)
    if (!r.unbound) bound.push_back(r);
  auto results = co_await p_->engine.resolve(std::move(bound), start + p_->settings.timeout, fresh);
  std::size_t next = 0;
  for (const auto& r : run.refs)
    run.results.push_back(r.unbound ? resolved{*r.unbound, {}} : std::move(results.at(next++)));
  run.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  run.consumed_env = p_->engine.consumed_env();
  run.credentials = p_->engine.credential_sources();
  p_->log_network();
  for (std::size_t i = 0; i < run.refs.size(); ++i) {
    if (!run.refs[i].unbound) run.stores.insert(store_label(run.refs[i].store));
    if (!run.results[i].value) {
      errc code = run.results[i].value.err().code;
      run.worst = run.worst ? more_severe(*run.worst, code) : code;
    }
  }
  co_return run;
}

resolution_run resolution_session::resolve_now(std::vector<bound_reference> refs) {
  std::exception_ptr failure;
  resolution_run run;
  asio::co_spawn(io_, resolve(std::move(refs)), [&](std::exception_ptr e, resolution_run got) {
    failure = e;
    run = std::move(got);
    io_.stop();  // work a timed-out store left behind is abandoned, not awaited
  });
  io_.run();
  io_.restart();
  if (failure) std::rethrow_exception(failure);
  return run;
}

resolution_run run_resolution(std::vector<bound_reference> refs, const store_catalogue& stores,
                              const environment& env, const resolution_settings& settings,
                              redactor& redact) {
  asio::io_context io(1);
  resolution_session session(io, stores, env, settings, redact);
  return session.resolve_now(std::move(refs));
}

void report_failures(const resolution_run& run) {
  std::set<std::string> said;  // a reference written twice fails once
  for (std::size_t i = 0; i < run.refs.size(); ++i) {
    if (run.results[i].value) continue;
    const auto& ref = run.refs[i];
    std::string line = (ref.where.empty() ? "" : ref.where + ": ") + ref.text + ": " +
                       run.results[i].value.err().message;
    if (said.insert(line).second) log::error(line);
  }
}

}  // namespace mcpl
