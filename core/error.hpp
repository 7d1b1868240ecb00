// The one error model: every expected failure is an `error` value carrying an `errc`,
// and every `errc` maps to one exit code of DESIGN §10.
#pragma once

#include <string>

namespace mcpl {

enum class errc {
  /// Command-line usage error (exit 64).
  usage = 1,
  /// The secret was found but its content does not fit: selector missing, not JSON,
  /// several keys where one was expected (exit 65).
  content,
  /// A store could not be reached: network error, timeout, 5xx or 429 after retries (exit 69).
  unavailable,
  /// A bug in the launcher (exit 70).
  internal,
  /// A store refused: authentication failed or permission denied (exit 77).
  refused,
  /// Configuration error: bad JSON, unknown store/mapping/server, bad reference (exit 78).
  config,
  /// The secret does not exist in its store (exit 78, reported as "not found").
  not_found,
  /// COMMAND was found but could not be executed (exit 126).
  cannot_execute,
  /// COMMAND was not found (exit 127).
  command_not_found,
};

/// A failure that is expected to happen in the field. `message` names what failed and why,
/// never a secret value.
struct error {
  errc code = errc::internal;
  std::string message;
};

/// The exit code DESIGN §10 assigns to `code`.
int exit_code(errc code);

/// A short lower-case name for `code`, used in `check` output ("not found", "refused").
const char* describe(errc code);

/// Of two failures of one launch, the one whose exit code should win. Permanent failures
/// (configuration, refusal, content) beat transient ones, so that systemd's
/// RestartPreventExitStatus does not restart a launch that cannot succeed.
errc more_severe(errc a, errc b);

}  // namespace mcpl
