// One exchange with a store: send a request by the launch's deadline and read the answer
// with the store's parser — the step every store's fetch and login share.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "core/result.hpp"
#include "platform/http/http.hpp"
#include "providers/http/oauth.hpp"

namespace mcpl {

/// What an answer means: a `T`, or the error its status and body stand for.
template <class T>
using parser_of = std::function<result<T>(int status, const std::string& body)>;
/// A fetch's answer: the value.
using answer_parser = parser_of<std::string>;
/// A login's answer: the token, and how long it lives.
using token_parser = parser_of<token_answer>;

/// Sends `req` through `http` (retries included) by `deadline` and returns what `parse`
/// makes of the answer; a request that got no answer fails with the client's error.
boost::asio::awaitable<result<std::string>> ask(http_client& http, http_request req,
                                                std::chrono::steady_clock::time_point deadline,
                                                answer_parser parse);
boost::asio::awaitable<result<token_answer>> ask(http_client& http, http_request req,
                                                 std::chrono::steady_clock::time_point deadline,
                                                 token_parser parse);

}  // namespace mcpl
