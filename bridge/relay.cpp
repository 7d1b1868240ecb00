#include "bridge/relay.hpp"

namespace mcpl {

std::vector<jsonrpc_message> relay::from_server(std::string_view text) {
  auto parsed = parse_messages(text);
  if (!parsed && pass_other_) {
    write(text);
    return {};
  }
  if (!parsed) {
    notes_.warn("the remote server sent something that is not a JSON-RPC message (" +
              parsed.err().message + "); dropped");
    return {};
  }
  auto first = text.find_first_not_of(" \t\r\n");
  bool batch = first != std::string_view::npos && text[first] == '[';
  std::vector<jsonrpc_message> written;
  for (auto& m : *parsed) {
    if (m.kind == message_kind::response) {
      if (!awaiting_.erase(m.id)) {
        notes_.debug("an answer to id " + m.id + ", which the client does not await, dropped");
        continue;
      }
    }
    // A batch is written one message per line: clients of the 2025-06-18 revision and later
    // read no arrays.
    write(batch ? m.body.dump() : one_line(text, m.body));
    written.push_back(std::move(m));
  }
  return written;
}

void relay::answer_error(const std::string& id, std::string_view message, int code) {
  if (!awaiting_.erase(id)) return;
  write(error_answer(id, code, notes_.present(std::string(message))));
}

void relay::answer_all(std::string_view message) {
  auto ids = awaiting_;
  for (const auto& id : ids) answer_error(id, message);
}

void relay::write(std::string_view message_text) {
  std::string line(message_text);
  line += '\n';
  write_(line);
}

}  // namespace mcpl
