#include "resolver/masker.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "resolver/redactor.hpp"

namespace mcpl {

namespace {

constexpr std::string_view kMask = "***";

// How a value reads inside a JSON string: what a server that echoes it in JSON-RPC writes.
std::string json_escaped(const std::string& value) {
  std::string quoted = nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return quoted.substr(1, quoted.size() - 2);
}

}  // namespace

stream_masker::stream_masker(const std::vector<std::string>& values) {
  for (const auto& v : values) {
    if (v.size() < redactor::kMinLength) continue;
    forms_.push_back(v);
    if (auto escaped = json_escaped(v); escaped != v) forms_.push_back(escaped);
  }
  std::sort(forms_.begin(), forms_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  forms_.erase(std::unique(forms_.begin(), forms_.end()), forms_.end());
}

std::string stream_masker::mask(std::string_view text, std::size_t& end) const {
  std::string out;
  out.reserve(end);
  std::size_t i = 0;
  while (i < end) {
    auto hit = std::find_if(forms_.begin(), forms_.end(),
                            [&](const std::string& f) { return text.substr(i).starts_with(f); });
    if (hit != forms_.end()) {
      out += kMask;
      i += hit->size();
    } else {
      out += text[i++];
    }
  }
  end = i;  // a value that began before `end` and ends after it is masked whole
  return out;
}

std::size_t stream_masker::tail_to_hold(std::string_view text) const {
  // A line that ends is never held for a value of one line: no such value's start ends in
  // a line break. Only a value that holds line breaks itself (a PEM key) can hold one back.
  std::size_t hold = 0;
  for (const auto& f : forms_)
    for (std::size_t k = std::min(f.size() - 1, text.size()); k > hold; --k)
      if (text.substr(text.size() - k) == std::string_view(f).substr(0, k)) {
        hold = k;
        break;
      }
  return hold;
}

std::string stream_masker::feed(std::string_view bytes) {
  std::string text = held_;
  text += bytes;
  held_.clear();
  if (forms_.empty()) return text;
  // A value that is still incomplete at the end waits; what comes before it is masked now.
  std::size_t end = text.size() - tail_to_hold(text);
  std::string out = mask(text, end);
  held_ = text.substr(end);
  return out;
}

std::string stream_masker::flush() {
  std::size_t end = held_.size();
  std::string out = mask(held_, end);
  held_.clear();
  return out;
}

}  // namespace mcpl
