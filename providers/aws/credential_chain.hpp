// Obtaining AWS credentials from the source the settings chose: keys as they are, or one
// exchange with STS, the container endpoint, or EC2's instance metadata service.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "core/result.hpp"
#include "platform/http/http.hpp"
#include "providers/aws/aws_settings.hpp"

namespace mcpl {

/// How long the instance metadata service has to answer its first request. Off EC2 nothing
/// answers at 169.254.169.254, and a launch on a laptop should not wait its whole deadline
/// to say it found no credentials (the SDKs wait one second too).
constexpr std::chrono::milliseconds imds_first_answer{1000};

/// Credentials from `s.credentials`, by `deadline`. Fails with errc::config when no source
/// has any (the instance metadata service did not answer), errc::refused when a source
/// refused, errc::unavailable when it could not be reached.
boost::asio::awaitable<result<aws_credentials>> obtain_credentials(
    const aws_settings& s, http_client& http, std::chrono::steady_clock::time_point deadline);

}  // namespace mcpl
