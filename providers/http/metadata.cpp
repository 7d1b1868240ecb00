#include "providers/http/metadata.hpp"

#include <algorithm>

namespace mcpl {

boost::asio::awaitable<result<http_response>> ask_metadata_first(
    http_client& http, http_request req, std::chrono::steady_clock::time_point deadline,
    const std::string& no_credentials) {
  req.deadline = std::min(deadline, std::chrono::steady_clock::now() + metadata_first_answer);
  auto res = co_await http.send(std::move(req));
  if (!res && res.err().code == errc::unavailable)
    co_return fail(errc::config, no_credentials + " (" + res.err().message + ")");
  co_return res;
}

}  // namespace mcpl
