#include "launcher/session_relay.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstring>
#include <deque>

#include "bridge/framing.hpp"
#include "platform/stdio.hpp"

namespace mcpl {

// One child's side: the pipe the launcher writes its stdin to, the one it reads its stdout
// from, and whether it is still there.
struct session_relay::state {
  // Written asynchronously: a child that does not read its stdin must not stop the launcher
  // (its signals, its reaping) when the pipe is full.
  std::unique_ptr<asio::posix::stream_descriptor> to_child;
  std::deque<std::string> pending;  // lines not yet written to it
  bool writing = false;
  bool ended = false;  // the client is gone: the child's stdin ends once `pending` is out
  std::unique_ptr<asio::posix::stream_descriptor> from_child;
  int child_stdin = -1, child_stdout = -1;  // the child's ends, closed once it runs
  bool running = false;
  ~state() {
    for (int fd : {child_stdin, child_stdout})
      if (fd >= 0) ::close(fd);
    if (to_child) to_child->close();
    if (from_child) from_child->close();
  }
};

namespace {

// Writes the child's pending lines in order, then closes its stdin if the client is gone.
asio::awaitable<void> write_to_child(std::shared_ptr<session_relay::state> s) {
  s->writing = true;
  while (!s->pending.empty() && s->to_child && s->to_child->is_open()) {
    auto [ec, n] = co_await asio::async_write(*s->to_child, asio::buffer(s->pending.front()),
                                              asio::as_tuple(asio::use_awaitable));
    if (ec) {
      s->pending.clear();  // the child is gone: its requests get errors when it is reaped
      break;
    }
    s->pending.pop_front();
  }
  s->writing = false;
  if (s->ended && s->to_child) s->to_child->close();
}

}  // namespace

session_relay::session_relay(asio::any_io_executor ex, bridge_notes notes, line_filter shown)
    : ex_(ex),
      client_(
          [shown = std::move(shown)](std::string_view line) {
            (void)write_all(STDOUT_FILENO, shown ? shown(line) : std::string(line));
          },
          std::move(notes)),
      client_gone_(ex) {
  client_.pass_other_text();
}

session_relay::~session_relay() = default;

result<session_relay::child_ends> session_relay::open_child() {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0)
    return fail(errc::internal, std::string("pipe2: ") + strerror(errno));
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return fail(errc::internal, std::string("pipe2: ") + strerror(errno));
  }
  auto s = std::make_shared<state>();
  s->to_child = std::make_unique<asio::posix::stream_descriptor>(ex_, in[1]);
  s->child_stdin = in[0];
  s->child_stdout = out[1];
  s->from_child = std::make_unique<asio::posix::stream_descriptor>(ex_, out[0]);
  child_ = s;
  return child_ends{in[0], out[1]};
}

void session_relay::child_started(child_ends) {
  auto s = child_;
  ::close(s->child_stdin);
  ::close(s->child_stdout);
  s->child_stdin = s->child_stdout = -1;
  s->running = true;
  reading_ = true;
  asio::co_spawn(ex_, read_child(s), asio::detached);
  // A new child has not seen the client's initialize: replay it; its answer goes to no one
  // (the relay awaits it no longer), and so the client never notices.
  if (!initialize_.empty()) to_child(initialize_);
  if (!initialized_.empty()) to_child(initialized_);
  auto queued = std::move(queued_);
  queued_.clear();
  for (const auto& line : queued) to_child(line);
}

void session_relay::child_stopped(const std::string& why) {
  if (child_) child_->running = false;
  child_.reset();
  client_.answer_all(why);
}

void session_relay::start() { asio::co_spawn(ex_, read_client(), asio::detached); }

void session_relay::to_child(const std::string& line) {
  if (!child_ || !child_->running) {
    queued_.push_back(line);
    return;
  }
  child_->pending.push_back(line + "\n");
  if (!child_->writing) asio::co_spawn(ex_, write_to_child(child_), asio::detached);
}

asio::awaitable<void> session_relay::read_client() {
  auto in = open_input(ex_, STDIN_FILENO);
  line_reader lines;
  for (;;) {
    auto got = co_await in->read_some();
    if (!got || got->empty()) break;
    for (auto& line : lines.feed(*got)) {
      if (!line) continue;
      if (auto parts = parse_messages(*line)) {
        for (const auto& m : *parts) {
          if (m.kind == message_kind::request) client_.expect(m.id);
          if (m.kind == message_kind::request && m.method == "initialize") initialize_ = *line;
          if (m.kind == message_kind::notification && m.method == "notifications/initialized")
            initialized_ = *line;
        }
      }
      to_child(*line);
    }
  }
  if (auto last = lines.finish()) to_child(*last);
  // The client is gone: the child's stdin ends too, and the session with it.
  if (child_) {
    child_->ended = true;
    if (!child_->writing && child_->to_child) child_->to_child->close();
  }
  client_gone_.set();
}

asio::awaitable<void> session_relay::read_child(std::shared_ptr<state> child) {
  line_reader lines;
  std::string buf(16 * 1024, '\0');
  for (;;) {
    auto [ec, n] = co_await child->from_child->async_read_some(asio::buffer(buf),
                                                               asio::as_tuple(asio::use_awaitable));
    if (ec || n == 0) break;
    for (auto& line : lines.feed(std::string_view(buf.data(), n)))
      if (line) client_.from_server(*line);
  }
  if (auto last = lines.finish()) client_.from_server(*last);
  if (child == child_ || !child_) reading_ = false;
}

}  // namespace mcpl
