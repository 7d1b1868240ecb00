// Logging of DESIGN §11: stderr only, text or JSON lines, every line passed through the
// redactor last.
#pragma once

#include <memory>
#include <string>

#include "bridge/notes.hpp"
#include "core/result.hpp"
#include "resolver/redactor.hpp"

namespace mcpl {

enum class log_format { text, json };

/// Parses "trace debug info warn error off" and "text json". Fail with errc::usage.
result<int> parse_log_level(const std::string& level);
result<log_format> parse_log_format(const std::string& format);

/// Installs the default logger: level, format, and `redact` as the last step of every line.
void setup_logging(int level, log_format format, std::shared_ptr<redactor> redact);

/// The launcher's log for the bridge and the session relay (which do not include spdlog):
/// debug, info and warn lines, and `redact` to present what they write for a client.
bridge_notes log_notes(std::shared_ptr<redactor> redact);

/// The launcher's log lines. Messages are built by the caller; spdlog stays in logging.cpp
/// (its header-only build costs a minute of compile time in every file that includes it).
namespace log {
void trace(const std::string& message);
void debug(const std::string& message);
void info(const std::string& message);
void warn(const std::string& message);
void error(const std::string& message);
}  // namespace log

}  // namespace mcpl
