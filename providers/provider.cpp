#include "providers/provider.hpp"

#include "core/async.hpp"

namespace mcpl {

asio::awaitable<std::vector<result<std::string>>> provider::fetch_many(
    std::vector<std::string> identifiers) {
  std::vector<asio::awaitable<result<std::string>>> tasks;
  tasks.reserve(identifiers.size());
  for (auto& id : identifiers) tasks.push_back(fetch(std::move(id)));
  co_return co_await gather(std::move(tasks));
}

asio::awaitable<std::vector<result<std::string>>> provider::fetch_missing(
    std::vector<std::string> identifiers, std::vector<std::optional<result<std::string>>> found) {
  std::vector<std::size_t> missing;
  std::vector<std::string> unfound;
  for (std::size_t i = 0; i < identifiers.size(); ++i) {
    if (found[i]) continue;
    missing.push_back(i);
    unfound.push_back(std::move(identifiers[i]));
  }
  // Through provider::fetch_many rather than gather<result<string>> in each store: GCC 12
  // emits that coroutine's frame in a section the linker discards when it is instantiated
  // in more than one object file.
  auto read = co_await provider::fetch_many(std::move(unfound));
  for (std::size_t k = 0; k < missing.size(); ++k) found[missing[k]].emplace(std::move(read[k]));
  std::vector<result<std::string>> out;
  out.reserve(found.size());
  for (auto& v : found) out.push_back(std::move(*v));
  co_return out;
}

void provider_context::secret_pem(const std::string& pem) const {
  secret(pem);
  for (std::size_t pos = 0; pos < pem.size();) {
    std::size_t end = pem.find('\n', pos);
    if (end == std::string::npos) end = pem.size();
    std::string line = pem.substr(pos, end - pos);
    if (!line.starts_with("-----")) secret(line);
    pos = end + 1;
  }
}

}  // namespace mcpl
