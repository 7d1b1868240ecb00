// The first question to a cloud's metadata endpoint (EC2's IMDS, GCE's metadata server,
// Azure's IMDS). Off that cloud nothing answers at the link-local address, and a launch on
// a laptop should say it found no credentials at once, not after its whole deadline.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "core/result.hpp"
#include "platform/http/http.hpp"

namespace mcpl {

/// How long the first answer may take (the cloud SDKs wait as long).
constexpr std::chrono::milliseconds metadata_first_answer{1000};

/// Sends `req` with `metadata_first_answer` (or less, by `deadline`) to answer. When nothing
/// answers, or the endpoint answers with a client error (AWS: IMDS turned off; Azure: no
/// identity assigned; anything else at that address), there are no credentials to be had
/// here and a retry of the launch would find none either: errc::config, "`no_credentials`,
/// and `service` did not answer (reason)" or "… answered HTTP 403". `no_credentials` says
/// what was tried before, `service` names the endpoint and its address.
boost::asio::awaitable<result<http_response>> ask_metadata_first(
    http_client& http, http_request req, std::chrono::steady_clock::time_point deadline,
    const std::string& no_credentials, const std::string& service);

}  // namespace mcpl
