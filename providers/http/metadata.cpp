#include "providers/http/metadata.hpp"

#include <algorithm>

namespace mcpl {

boost::asio::awaitable<result<http_response>> ask_metadata_first(
    http_client& http, http_request req, std::chrono::steady_clock::time_point deadline,
    const std::string& no_credentials, const std::string& service) {
  req.deadline = std::min(deadline, std::chrono::steady_clock::now() + metadata_first_answer);
  auto res = co_await http.send(std::move(req));
  if (!res && res.err().code == errc::unavailable)
    co_return fail(errc::config, no_credentials + ", and " + service + " did not answer (" +
                                     res.err().message + ")");
  if (res && res->status >= 400 && res->status < 500 && res->status != 429)
    co_return fail(errc::config, no_credentials + ", and " + service + " answered HTTP " +
                                     std::to_string(res->status));
  co_return res;
}

}  // namespace mcpl
