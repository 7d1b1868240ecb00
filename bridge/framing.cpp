#include "bridge/framing.hpp"

namespace mcpl {

namespace {

// A line as a message: without the CR of a CRLF; nothing for a blank one.
std::optional<std::string> message_of(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.find_first_not_of(" \t") == std::string::npos) return std::nullopt;
  return line;
}

}  // namespace

std::vector<result<std::string>> line_reader::feed(std::string_view bytes) {
  std::vector<result<std::string>> out;
  while (!bytes.empty()) {
    auto lf = bytes.find('\n');
    std::string_view piece = bytes.substr(0, lf);
    bytes = lf == std::string_view::npos ? std::string_view() : bytes.substr(lf + 1);
    if (!skipping_) {
      if (line_.size() + piece.size() > max_) {
        line_.clear();
        skipping_ = true;
        out.push_back(fail(errc::content, "a message on stdin is longer than " +
                                              std::to_string(max_ >> 20) + " MiB"));
      } else {
        line_.append(piece);
      }
    }
    if (lf == std::string_view::npos) break;
    if (!skipping_)
      if (auto m = message_of(std::move(line_))) out.push_back(std::move(*m));
    line_.clear();
    skipping_ = false;
  }
  return out;
}

std::optional<std::string> line_reader::finish() {
  if (skipping_) return std::nullopt;
  auto m = message_of(std::move(line_));
  line_.clear();
  return m;
}

result<std::string> frame_line(std::string_view json_text) {
  while (!json_text.empty() && (json_text.back() == ' ' || json_text.back() == '\n' ||
                                json_text.back() == '\r' || json_text.back() == '\t'))
    json_text.remove_suffix(1);
  if (json_text.empty()) return fail(errc::content, "an empty message");
  if (json_text.find_first_of("\r\n") != std::string_view::npos)
    return fail(errc::content, "a message holds a line break: it would be two on stdout");
  return std::string(json_text) + '\n';
}

}  // namespace mcpl
