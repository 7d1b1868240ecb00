// Running one helper program to completion — the Azure CLI, for the token of an `az login`
// session — without a shell, with nothing on its stdin, its output captured (never logged),
// and a time limit after which its process group is killed. Started like the supervised
// child (platform/spawn: its own process group, death with the launcher) and reaped through
// the init's reaper when the launcher is one, so that waitpid(-1) stays in one place.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "core/result.hpp"
#include "platform/process.hpp"

namespace mcpl {

class reaper;

struct program_output {
  int status = 0;  ///< the wait status
  std::string out;
  std::string err;
};

/// The most of each stream kept: an answer larger than this is not one.
constexpr std::size_t program_output_limit = 1 << 20;

/// Runs `req` until it exits, or kills it at `deadline` (then errc::unavailable, "did not
/// finish within …"). `reap` is the launcher's reaper in supervise mode, else nullptr. Fails
/// as spawn_child does when the program cannot be started (errc::command_not_found …).
boost::asio::awaitable<result<program_output>> run_program(
    exec_request req, std::chrono::steady_clock::time_point deadline, reaper* reap);

}  // namespace mcpl
