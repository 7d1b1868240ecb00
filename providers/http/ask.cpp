#include "providers/http/ask.hpp"

namespace mcpl {

boost::asio::awaitable<result<std::string>> ask(http_client& http, http_request req,
                                                std::chrono::steady_clock::time_point deadline,
                                                answer_parser parse) {
  req.deadline = deadline;
  auto res = co_await http.send(std::move(req));
  if (!res) co_return res.err();
  co_return parse(res->status, res->body);
}

}  // namespace mcpl
