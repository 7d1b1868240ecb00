#include "bridge/sse.hpp"

#include <algorithm>
#include <cctype>

namespace mcpl {

std::vector<sse_event> sse_parser::feed(std::string_view bytes) {
  std::vector<sse_event> out;
  for (char c : bytes) {
    if (!started_) {
      line_ += c;  // the BOM is three bytes: gather them before deciding
      if (std::string_view("\xEF\xBB\xBF").starts_with(line_)) {
        if (line_.size() == 3) {
          line_.clear();
          started_ = true;
        }
        continue;
      }
      started_ = true;
      std::string held = std::move(line_);
      line_.clear();
      auto more = feed(held);
      out.insert(out.end(), more.begin(), more.end());
      continue;
    }
    if (c == '\n' && after_cr_) {  // the LF of a CRLF: the line already ended at the CR
      after_cr_ = false;
      continue;
    }
    after_cr_ = c == '\r';
    if (c == '\r' || c == '\n') {
      line(line_, out);
      line_.clear();
    } else {
      line_ += c;
    }
  }
  return out;
}

void sse_parser::line(std::string_view text, std::vector<sse_event>& out) {
  if (text.empty()) {  // a blank line dispatches the event gathered so far
    if (has_data_) out.push_back({type_.empty() ? "message" : type_, data_, last_id_});
    type_.clear();
    data_.clear();
    has_data_ = false;
    return;
  }
  if (text.front() == ':') return;  // a comment (servers send them to keep streams alive)
  auto colon = text.find(':');
  std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "event") {
    type_ = value;
  } else if (field == "data") {
    if (has_data_) data_ += '\n';
    data_ += value;
    has_data_ = true;
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_ = value;
  } else if (field == "retry") {
    if (!value.empty() && value.size() <= 9 &&
        std::all_of(value.begin(), value.end(), [](unsigned char ch) { return std::isdigit(ch); }))
      retry_ = std::chrono::milliseconds(std::stol(std::string(value)));
  }
}

}  // namespace mcpl
