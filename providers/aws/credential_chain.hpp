// Obtaining AWS credentials from the source the settings chose — keys as they are, or one
// exchange with STS, the container endpoint, EC2's instance metadata service or the IAM
// Identity Center portal — then each role of the chain assumed with the credentials before it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "core/result.hpp"
#include "platform/http/http.hpp"
#include "providers/aws/aws_settings.hpp"

namespace mcpl {

/// Credentials from `s.credentials`, by `deadline`. Fails with errc::config when no source
/// has any (the instance metadata service did not answer), errc::refused when a source
/// refused, errc::unavailable when it could not be reached. Tokens read or obtained on the
/// way (a web identity or container token, the IMDS session token) are given to
/// `ctx.secret`; `ctx.deadline()` bounds the work.
boost::asio::awaitable<result<aws_credentials>> obtain_credentials(const aws_settings& s,
                                                                   http_client& http,
                                                                   const provider_context& ctx);

}  // namespace mcpl
