// Fuzzes config loading: parsing, store validation (references, cycles) and planning every
// server never crash, and every failure is a configuration error with a message.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "launcher/config.hpp"
#include "launcher/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto cfg = mcpl::parse_config(text, "fuzz.json");
  if (!cfg) {
    if (cfg.err().code != mcpl::errc::config || cfg.err().message.empty()) std::abort();
    return 0;
  }
  auto stores = mcpl::store_catalogue::make(cfg->stores);
  if (!stores) {
    if (stores.err().code != mcpl::errc::config) std::abort();
    return 0;
  }
  mcpl::environment env = {{"HOME", "/root"}, {"TEAM", "acme"}};
  for (const auto& [name, def] : cfg->servers) {
    auto plan = mcpl::plan_server(def, env, *stores);
    if (!plan && plan.err().message.empty()) std::abort();
  }
  return 0;
}
