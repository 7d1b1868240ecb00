#include "platform/run_program.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <tuple>
#include <utility>

#include "core/async.hpp"
#include "platform/reaper.hpp"
#include "platform/spawn.hpp"

namespace mcpl {

namespace {

using clock = std::chrono::steady_clock;
using stream = asio::posix::stream_descriptor;

struct fd_pair {
  int read = -1, write = -1;
  fd_pair() = default;
  fd_pair(const fd_pair&) = delete;
  fd_pair& operator=(const fd_pair&) = delete;
  ~fd_pair() {
    if (read >= 0) ::close(read);
    if (write >= 0) ::close(write);
  }
};

// Everything the stream gives until its end, at most program_output_limit bytes kept.
asio::awaitable<std::string> read_all(stream& in) {
  std::string out;
  char buffer[4096];
  for (;;) {
    auto [ec, n] =
        co_await in.async_read_some(asio::buffer(buffer), asio::as_tuple(asio::use_awaitable));
    if (out.size() < program_output_limit)
      out.append(buffer, std::min(n, program_output_limit - out.size()));
    if (ec) co_return out;
  }
}

// The wait status once `pid` has exited: through the init's reaper, or our own waitpid.
asio::awaitable<int> exit_status(pid_t pid, reaper* reap) {
  for (;;) {
    if (reap) {
      reap->reap();
      if (auto status = reap->exited(pid)) co_return *status;
    } else {
      int status = 0;
      pid_t got = ::waitpid(pid, &status, WNOHANG);
      if (got == pid || (got < 0 && errno != EINTR)) co_return status;
    }
    co_await sleep_until(clock::now() + std::chrono::milliseconds(5));
  }
}

// The program started, its stdout and stderr pipes' reading ends with it.
struct started {
  pid_t pid = 0;
  int out = -1, err = -1;
};

result<started> start(exec_request req, reaper* reap) {
  fd_pair out, err;
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int out_fds[2], err_fds[2];
  bool piped = null >= 0 && ::pipe2(out_fds, O_CLOEXEC) == 0;
  if (piped) std::tie(out.read, out.write) = std::pair(out_fds[0], out_fds[1]);
  piped = piped && ::pipe2(err_fds, O_CLOEXEC) == 0;
  if (!piped) {
    if (null >= 0) ::close(null);
    return fail(errc::internal, std::string("cannot make a pipe: ") + std::strerror(errno));
  }
  std::tie(err.read, err.write) = std::pair(err_fds[0], err_fds[1]);
  spawn_options opts{};
  opts.exec = std::move(req);
  sigemptyset(&opts.signals.blocked);
  sigemptyset(&opts.signals.ignored);
  opts.stdin_fd = null;
  opts.stdout_fd = out.write;
  opts.stderr_fd = err.write;
  auto pid = spawn_child(opts);
  ::close(null);
  if (!pid) return pid.err();
  if (reap) reap->expect(*pid);
  return started{*pid, std::exchange(out.read, -1), std::exchange(err.read, -1)};
}

}  // namespace

asio::awaitable<result<program_output>> run_program(exec_request req, clock::time_point deadline,
                                                    reaper* reap) {
  std::string name = req.argv.empty() ? "" : req.argv[0];
  auto child = start(std::move(req), reap);
  result<program_output> outcome = fail(errc::internal, "");
  if (!child) outcome = child.err();
  if (child) {
    auto ex = co_await asio::this_coro::executor;
    stream out_stream(ex, child->out), err_stream(ex, child->err);
    // At the deadline the whole process group goes: whatever it started too.
    bool killed = false;
    asio::steady_timer limit(ex, deadline);
    limit.async_wait([&killed, p = child->pid](const boost::system::error_code& ec) {
      if (ec) return;
      killed = true;
      ::kill(-p, SIGKILL);
    });
    std::vector<asio::awaitable<std::string>> reads;
    reads.push_back(read_all(out_stream));
    reads.push_back(read_all(err_stream));
    auto texts = co_await gather(std::move(reads));
    int status = co_await exit_status(child->pid, reap);
    limit.cancel();
    if (killed && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      outcome = fail(errc::unavailable, name + " did not finish in time, and was stopped");
    else
      outcome = program_output{status, std::move(texts[0]), std::move(texts[1])};
  }
  co_return outcome;
}

}  // namespace mcpl
