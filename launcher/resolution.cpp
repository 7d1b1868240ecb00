#include "launcher/resolution.hpp"

#include <boost/asio/io_context.hpp>

#include "launcher/logging.hpp"
#include "launcher/network.hpp"
#include "providers/registry.hpp"
#include "resolver/engine.hpp"

namespace mcpl {

resolution_run run_resolution(std::vector<bound_reference> refs, const store_catalogue& stores,
                              const environment& env, const resolution_settings& settings,
                              redactor& redact) {
  resolution_run run;
  run.refs = std::move(refs);
  if (run.refs.empty()) return run;
  auto start = std::chrono::steady_clock::now();
  asio::io_context io(1);
  secret_cache cache(settings.cache_ttl);
  provider_context ctx{io.get_executor(), &env, {}, start + settings.timeout, {}};
  ctx.note_secret = [&redact](std::string_view secret) { redact.add(secret); };
  auto network = read_network_settings(env);
  std::vector<http_client*> clients;  // owned by the providers, which outlive this function's use
  ctx.http = [&](const std::string& ca_file) -> result<std::unique_ptr<http_client>> {
    auto s = network;
    s.ca_file = ca_file;
    auto made = make_https_client(s);
    if (made) clients.push_back(made->get());
    return made;
  };
  resolution_engine engine(stores, make_provider, ctx, cache, &redact);
  engine.name_deadline("--timeout " + settings.timeout_text);
  // References that could not be bound (check goes on past them) fail as they are.
  std::vector<bound_reference> bound;
  for (const auto& r : run.refs)
    if (!r.unbound) bound.push_back(r);
  std::exception_ptr failure;
  std::vector<resolved> results;
  asio::co_spawn(io, engine.resolve(bound, start + settings.timeout),
                 [&](std::exception_ptr e, std::vector<resolved> got) {
                   failure = e;
                   results = std::move(got);
                   io.stop();  // work a timed-out store left behind is abandoned, not awaited
                 });
  io.run();
  if (failure) std::rethrow_exception(failure);
  std::size_t next = 0;
  for (const auto& r : run.refs)
    run.results.push_back(r.unbound ? resolved{*r.unbound, {}} : std::move(results.at(next++)));
  run.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  run.consumed_env = engine.consumed_env();
  if (!clients.empty()) {
    http_stats total;
    for (auto* c : clients) {
      total.requests += c->stats().requests;
      total.connections += c->stats().connections;
    }
    log::debug("network: " + std::to_string(total.requests) + " requests over " +
               std::to_string(total.connections) + " connections");
  }
  for (std::size_t i = 0; i < run.refs.size(); ++i) {
    if (!run.refs[i].unbound) run.stores.insert(store_label(run.refs[i].store));
    if (!run.results[i].value) {
      errc code = run.results[i].value.err().code;
      run.worst = run.worst ? more_severe(*run.worst, code) : code;
    }
  }
  return run;
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
