// What the stores share about talking HTTP: mapping a status to the error model of
// DESIGN §10, and reading a JSON body without exceptions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mcpl {

/// The errc of an unsuccessful HTTP status: 401/403 refused, 404 not found, 429/5xx
/// unavailable, any other 4xx a configuration error (the request itself is wrong).
errc status_errc(int status);

/// "HTTP 403: permission denied" — `message` is the store's own reason, may be empty; it
/// is quoted (core/quoted.hpp), so output shows at most a line of it.
error http_failure(int status, std::string_view message);

/// The failure an error answer shaped {"error": {CODE_KEY: "...", "message": "..."}} means
/// (Google's APIs name the code "status", Azure's "code"): http_failure(status, "CODE: message").
error api_error_failure(int status, const std::string& body, const char* code_key);

/// The body as JSON, or nothing when it is not JSON.
std::optional<nlohmann::json> parse_json(std::string_view body);

/// `j` as a compact request body. Text from a command line, a variable or a file may hold
/// bytes that are not UTF-8; they are sent as U+FFFD (the store then finds nothing by that
/// name) instead of throwing.
std::string request_body(const nlohmann::json& j);

/// The string at `key` of object `j`, or nothing when absent or not a string.
std::optional<std::string> string_field(const nlohmann::json& j, const char* key);

}  // namespace mcpl
