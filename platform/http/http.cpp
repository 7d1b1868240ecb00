#include "platform/http/http.hpp"

#include <algorithm>
#include <cctype>

#include "platform/http/connection.hpp"
#include "platform/http/retry.hpp"

namespace mcpl {

std::string http_response::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
          return std::tolower(a) == std::tolower(b);
        }))
      return v;
  return {};
}

asio::awaitable<result<std::unique_ptr<http_stream>>> http_client::open(http_request) {
  co_return fail(errc::internal, "this HTTP client cannot stream a response");
}

result<std::unique_ptr<http_client>> make_https_client(const network_settings& settings) {
  auto connector = make_tls_connector(settings);
  if (!connector) return connector.err();
  return make_retrying_client(make_pooled_client(std::move(*connector), settings));
}

}  // namespace mcpl
