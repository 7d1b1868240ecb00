// Fuzzes the reference grammar: parsing never crashes, a parsed template renders back to
// its input when every reference is replaced by its own text, and binding never crashes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "resolver/reference.hpp"
#include "resolver/render.hpp"
#include "resolver/selector.hpp"
#include "resolver/stores.hpp"

namespace {
const mcpl::store_catalogue& catalogue() {
  static const mcpl::store_catalogue cat = [] {
    mcpl::store_spec vault;
    vault.name = "vault";
    vault.type = "hashicorp_vault";
    vault.mappings = {{"github", "mcp/github#token"}, {"db", "db#/a/0"}};
    return std::move(*mcpl::store_catalogue::make({vault}));
  }();
  return cat;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto parsed = mcpl::parse_template(text);
  if (!parsed) {
    if (parsed.err().message.rfind("column ", 0) != 0) std::abort();  // every error has a column
    return 0;
  }
  std::vector<std::string> own_text;
  for (const auto& seg : parsed->segments) {
    if (!seg.ref) continue;
    own_text.push_back(seg.ref->text);
    auto bound = catalogue().bind(*seg.ref);
    if (bound && bound->has_selector) (void)mcpl::apply_selector(text, bound->selector);
  }
  if (mcpl::render_with(*parsed, own_text) != text) std::abort();
  (void)mcpl::parse_single_reference(text);
  return 0;
}
