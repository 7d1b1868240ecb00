// Running a helper program (platform/run_program): its output and status, a program that is
// not there, one that outlives its time (its whole process group killed), and waiting
// through an init's reaper, which reaps every child with waitpid(-1).
#include "platform/run_program.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <optional>

#include "platform/reaper.hpp"

namespace mcpl {
namespace {

using namespace std::chrono_literals;

result<program_output> run(std::vector<std::string> argv, std::chrono::milliseconds limit,
                           bool with_reaper = false) {
  boost::asio::io_context io;
  reaper reap(io.get_executor());
  std::optional<result<program_output>> got;
  exec_request req{std::move(argv), {"PATH=/usr/bin:/bin"}, "/usr/bin:/bin"};
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        got = co_await run_program(req, std::chrono::steady_clock::now() + limit,
                                   with_reaper ? &reap : nullptr);
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.run();
  return std::move(*got);
}

TEST(RunProgram, OutputAndStatus) {
  auto r = run({"sh", "-c", "echo out; echo err >&2; read x; echo \"stdin=$x\"; exit 3"}, 5s);
  ASSERT_TRUE(r) << r.err().message;
  EXPECT_EQ(r->out, "out\nstdin=\n") << "nothing on its stdin";
  EXPECT_EQ(r->err, "err\n");
  EXPECT_TRUE(WIFEXITED(r->status));
  EXPECT_EQ(WEXITSTATUS(r->status), 3);
  auto reaped = run({"sh", "-c", "sleep 0.1 & echo done"}, 5s, /*with_reaper=*/true);
  ASSERT_TRUE(reaped) << reaped.err().message;
  EXPECT_EQ(reaped->out, "done\n");
  EXPECT_EQ(WEXITSTATUS(reaped->status), 0);
}

TEST(RunProgram, MissingProgramAndDeadline) {
  auto missing = run({"no-such-program-mcpl"}, 5s);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.err().code, errc::command_not_found);
  auto started = std::chrono::steady_clock::now();
  // A grandchild holding the pipe open would keep a read waiting: the group is killed.
  auto stuck = run({"sh", "-c", "sleep 30 & sleep 30"}, 300ms);
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(stuck);
  EXPECT_EQ(stuck.err().code, errc::unavailable);
  EXPECT_EQ(stuck.err().message, "sh did not finish in time, and was stopped");
  EXPECT_LT(took, 5s);
}

}  // namespace
}  // namespace mcpl
