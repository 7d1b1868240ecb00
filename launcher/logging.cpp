#include "launcher/logging.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>

namespace mcpl {

namespace {

// Formats each record itself (so JSON is escaped properly), redacts, and writes the line
// to stderr in one write(2): lines from the launcher never interleave with each other.
class stderr_sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  stderr_sink(log_format format, std::shared_ptr<redactor> redact)
      : format_(format), redact_(std::move(redact)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::string text = redact_->present(std::string_view(msg.payload.data(), msg.payload.size()));
    std::string level(spdlog::level::to_string_view(msg.level).data(),
                      spdlog::level::to_string_view(msg.level).size());
    if (level == "warning") level = "warn";
    std::string line;
    if (format_ == log_format::json) {
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch());
      nlohmann::json obj = {{"time_ms", ms.count()}, {"level", level}, {"msg", text}};
      line = obj.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
      line = "mcp-launch: " + level + ": " + text;
    }
    line += '\n';
    const char* p = line.data();
    std::size_t left = line.size();
    while (left > 0) {
      ssize_t n = ::write(STDERR_FILENO, p, left);
      if (n <= 0) break;  // stderr closed: nowhere left to say anything
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }
  void flush_() override {}

 private:
  log_format format_;
  std::shared_ptr<redactor> redact_;
};

}  // namespace

result<int> parse_log_level(const std::string& level) {
  static const std::pair<const char*, spdlog::level::level_enum> kLevels[] = {
      {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
      {"error", spdlog::level::err},   {"off", spdlog::level::off}};
  for (const auto& [name, value] : kLevels)
    if (level == name) return static_cast<int>(value);
  return fail(errc::usage,
              "invalid log level '" + level + "': trace, debug, info, warn, error or off");
}

result<log_format> parse_log_format(const std::string& format) {
  if (format == "text") return log_format::text;
  if (format == "json") return log_format::json;
  return fail(errc::usage, "invalid log format '" + format + "': text or json");
}

void setup_logging(int level, log_format format, std::shared_ptr<redactor> redact) {
  auto sink = std::make_shared<stderr_sink>(format, std::move(redact));
  auto logger = std::make_shared<spdlog::logger>("mcp-launch", std::move(sink));
  logger->set_level(static_cast<spdlog::level::level_enum>(level));
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

namespace log {
void trace(const std::string& message) { spdlog::trace("{}", message); }
void debug(const std::string& message) { spdlog::debug("{}", message); }
void info(const std::string& message) { spdlog::info("{}", message); }
void warn(const std::string& message) { spdlog::warn("{}", message); }
void error(const std::string& message) { spdlog::error("{}", message); }
}  // namespace log

bridge_notes log_notes(std::shared_ptr<redactor> redact) {
  return {[](const std::string& m) { log::debug(m); }, [](const std::string& m) { log::info(m); },
          [](const std::string& m) { log::warn(m); },
          [redact = std::move(redact)](const std::string& m) { return redact->present(m); }};
}

}  // namespace mcpl
