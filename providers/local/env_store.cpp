#include "providers/local/env_store.hpp"

namespace mcpl {

namespace {

class env_store final : public provider {
 public:
  explicit env_store(const environment& env) : env_(env) {}

  asio::awaitable<result<std::string>> fetch(std::string identifier) override {
    auto it = env_.find(identifier);
    if (it == env_.end())
      co_return fail(errc::config, "environment variable " + identifier + " is not set");
    co_return it->second;
  }

 private:
  const environment& env_;
};

}  // namespace

std::unique_ptr<provider> make_env_store(const environment& env) {
  return std::make_unique<env_store>(env);
}

}  // namespace mcpl
