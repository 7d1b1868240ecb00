#include "providers/http/ask.hpp"

namespace mcpl {

namespace {

template <class T>
boost::asio::awaitable<result<T>> exchange(http_client& http, http_request req,
                                           std::chrono::steady_clock::time_point deadline,
                                           parser_of<T> parse) {
  req.deadline = deadline;
  auto res = co_await http.send(std::move(req));
  if (!res) co_return res.err();
  co_return parse(res->status, res->body);
}

}  // namespace

boost::asio::awaitable<result<std::string>> ask(http_client& http, http_request req,
                                                std::chrono::steady_clock::time_point deadline,
                                                answer_parser parse) {
  return exchange(http, std::move(req), deadline, std::move(parse));
}

boost::asio::awaitable<result<token_answer>> ask(http_client& http, http_request req,
                                                 std::chrono::steady_clock::time_point deadline,
                                                 token_parser parse) {
  return exchange(http, std::move(req), deadline, std::move(parse));
}

}  // namespace mcpl
