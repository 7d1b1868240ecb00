#include "resolver/redactor.hpp"

#include <string.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/quoted.hpp"

namespace mcpl {

redactor::~redactor() {
  for (auto& v : values_) explicit_bzero(v.data(), v.size());
}

void redactor::add(std::string_view value) {
  if (value.size() < kMinLength) return;
  std::lock_guard lock(mu_);
  auto remember = [&](std::string v) {
    if (std::find(values_.begin(), values_.end(), v) == values_.end())
      values_.push_back(std::move(v));
  };
  remember(std::string(value));
  // A value quoted into JSON (a log line in JSON format, a store's error body) changes
  // shape: catch that form too.
  std::string quoted = nlohmann::json(std::string(value))
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string inner = quoted.substr(1, quoted.size() - 2);
  if (inner != value) remember(std::move(inner));
  std::sort(values_.begin(), values_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string redactor::present(std::string_view text) const { return shape_line(redact(text)); }

std::string redactor::redact(std::string_view text) const {
  std::lock_guard lock(mu_);
  std::string out(text);
  for (const auto& v : values_) {
    std::size_t pos = 0;
    while ((pos = out.find(v, pos)) != std::string::npos) {
      out.replace(pos, v.size(), "***");
      pos += 3;
    }
  }
  return out;
}

}  // namespace mcpl
