// The signal state the launcher inherited, so the child can be given exactly the same
// (DESIGN §6): the blocked mask and the set of ignored signals. Handlers do not survive
// exec, so "ignored or default" is the whole of a disposition there.
#pragma once

#include <signal.h>

#include <string_view>

#include "core/result.hpp"

namespace mcpl {

struct signal_state {
  sigset_t blocked;
  sigset_t ignored;
};

/// Reads the current mask and which signals are ignored. Call first thing in main.
result<signal_state> capture_signal_state();

/// Ignores SIGPIPE so that a store closing a connection cannot kill the launcher; the
/// inherited disposition comes back with `restore_signal_state`.
result<void> ignore_sigpipe();

/// Puts back the dispositions (ignored or default) and the mask of `state`. Call just
/// before exec.
result<void> restore_signal_state(const signal_state& state);

/// A signal by name ("TERM", "SIGTERM", any case) or number (1 to SIGRTMAX). Fails with
/// errc::usage naming `text`.
result<int> parse_signal(std::string_view text);

}  // namespace mcpl
