#include "providers/local/file_store.hpp"

#include "platform/read_file.hpp"

namespace mcpl {

namespace {

bool escapes(const std::string& name) {
  if (name.empty() || name[0] == '/') return true;
  std::size_t pos = 0;
  while (pos <= name.size()) {
    std::size_t slash = name.find('/', pos);
    if (slash == std::string::npos) slash = name.size();
    if (name.compare(pos, slash - pos, "..") == 0 && slash - pos == 2) return true;
    pos = slash + 1;
  }
  return false;
}

class file_store final : public provider {
 public:
  explicit file_store(std::string directory) : directory_(std::move(directory)) {}

  asio::awaitable<result<std::string>> fetch(std::string identifier) override {
    if (escapes(identifier))
      co_return fail(errc::config, "'" + identifier + "' is not a file name inside " + directory_);
    co_return read_secret_file_beneath(directory_, identifier);
  }

 private:
  std::string directory_;
};

class path_store final : public provider {
 public:
  asio::awaitable<result<std::string>> fetch(std::string identifier) override {
    co_return read_secret_file(identifier);
  }
};

}  // namespace

std::unique_ptr<provider> make_file_store(std::string directory) {
  return std::make_unique<file_store>(std::move(directory));
}

std::unique_ptr<provider> make_path_store() { return std::make_unique<path_store>(); }

}  // namespace mcpl
