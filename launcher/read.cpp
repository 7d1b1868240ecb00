
#include <cstdio>
#include <nlohmann/json.hpp>

#include "launcher/logging.hpp"
#include "launcher/modes.hpp"

namespace mcpl {

int run_read(const app_context& app) {
  std::vector<bound_reference> refs;
  for (const auto& text : app.opts.references) {
    auto ref = parse_single_reference(text);
    if (!ref) {
      log::error(ref.err().message);
      return exit_code(ref.err().code);
    }
    if (ref->as_file) {
      log::error(std::string("'") + text + "': '| file' has no meaning for read");
      return exit_code(errc::usage);
    }
    auto bound = app.stores->bind(*ref);
    if (!bound) {
      log::error(std::string("'") + text + "': " + bound.err().message);
      return exit_code(bound.err().code);
    }
    refs.push_back(std::move(*bound));
  }
  auto run = run_resolution(std::move(refs), *app.stores, app.env, app.settings, *app.redact);
  if (run.worst) {
    report_failures(run);
    return exit_code(*run.worst);
  }
  if (app.opts.json) {
    // Every reference as given, in order, duplicates included.
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < run.refs.size(); ++i)
      out.push_back({{"reference", app.opts.references[i]}, {"value", *run.results[i].value}});
    std::string text = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return write_stdout(text) && write_stdout("\n") ? 0 : exit_code(errc::internal);
  }
  for (const auto& r : run.results)
    if (!write_stdout(*r.value) || !write_stdout("\n")) return exit_code(errc::internal);
  return 0;
}

}  // namespace mcpl
