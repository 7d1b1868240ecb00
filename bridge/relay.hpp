// The client's side of the bridge: the one place that writes to stdout, and the requests of
// the client that still wait for an answer, so that every one of them gets one — the
// server's, or an error when the server cannot give it (DESIGN §9). Pure: the writer is
// given.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bridge/message.hpp"
#include "bridge/notes.hpp"

namespace mcpl {

class relay {
 public:
  /// Writes one whole line (a message and its LF) to the client.
  using writer = std::function<void(std::string_view line)>;

  relay(writer write, bridge_notes notes) : write_(std::move(write)), notes_(std::move(notes)) {}

  /// The client sent a request with this id on to the server: it awaits an answer.
  void expect(const std::string& id) { awaiting_.insert(id); }
  bool awaiting(const std::string& id) const { return awaiting_.count(id) > 0; }
  std::size_t awaiting_count() const { return awaiting_.size(); }

  /// The client cancelled the request: an answer that still comes is dropped.
  void forget(const std::string& id) { awaiting_.erase(id); }

  /// A message the server sent (one, or a batch): written to the client, one line per
  /// message, except answers to nothing the client awaits (the answer to a replayed
  /// `initialize`, or to a request already answered with an error). Text that is not a
  /// JSON-RPC message is dropped with a warning. Returns the messages written.
  std::vector<jsonrpc_message> from_server(std::string_view text);

  /// Answers the request `id` with a JSON-RPC error, if the client still awaits it.
  void answer_error(const std::string& id, std::string_view message, int code = kRemoteError);

  /// Answers every request still awaited with an error.
  void answer_all(std::string_view message);

  /// Text that is not a JSON-RPC message is passed on as it is instead of dropped (supervise
  /// mode relays a child's own stdout, which is not ours to censor).
  void pass_other_text() { pass_other_ = true; }

  /// Writes a message the bridge makes itself (a parse error to a line it could not read).
  void write(std::string_view message_text);

 private:
  writer write_;
  bridge_notes notes_;
  bool pass_other_ = false;
  std::set<std::string> awaiting_;
};

}  // namespace mcpl
