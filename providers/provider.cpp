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

}  // namespace mcpl
