// Retries of transient failures (DESIGN §5): connect errors, timeouts, dropped
// connections, 429 and 5xx, with exponential backoff and full jitter, honouring
// Retry-After, and never past the request's deadline.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "platform/http/http.hpp"

namespace mcpl {

struct retry_policy {
  int max_attempts = 4;
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{2000};
};

/// True for the statuses worth another attempt: 429 and every 5xx but 501 and 505, which
/// will not change.
bool is_transient_status(int status);

/// The wait a Retry-After value asks for: delay-seconds, or an HTTP date relative to `now`.
/// Nothing when the value is neither.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

/// The backoff before attempt `attempt` + 1 (attempt counts from 1): a uniformly random wait
/// in [0, min(max_delay, base_delay * 2^(attempt-1))]. `uniform` returns a number in [0, 1).
std::chrono::milliseconds backoff_delay(const retry_policy& policy, int attempt,
                                        const std::function<double()>& uniform);

/// Wraps `inner` so that every request is retried per `policy`. A transient failure that
/// outlives the deadline or the attempts is returned as it last was: the error, or the last
/// 429/5xx response for the caller to map.
std::unique_ptr<http_client> make_retrying_client(std::unique_ptr<http_client> inner,
                                                  retry_policy policy = {});

}  // namespace mcpl
