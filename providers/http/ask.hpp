// One exchange with a store: send a request by the launch's deadline and read the answer
// with the store's parser — the step every store's fetch and login share.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "core/result.hpp"
#include "platform/http/http.hpp"

namespace mcpl {

/// What an answer means: a value, or the error its status and body stand for.
using answer_parser = std::function<result<std::string>(int status, const std::string& body)>;

/// Sends `req` through `http` (retries included) by `deadline` and returns what `parse`
/// makes of the answer; a request that got no answer fails with the client's error.
boost::asio::awaitable<result<std::string>> ask(http_client& http, http_request req,
                                                std::chrono::steady_clock::time_point deadline,
                                                answer_parser parse);

}  // namespace mcpl
