#include "providers/http/http_errors.hpp"

#include "core/quoted.hpp"

namespace mcpl {

errc status_errc(int status) {
  if (status == 401 || status == 403) return errc::refused;
  if (status == 404) return errc::not_found;
  if (status == 429 || status >= 500) return errc::unavailable;
  return errc::config;
}

error http_failure(int status, std::string_view message) {
  std::string text = "HTTP " + std::to_string(status);
  // The store's own words, whole: an address that points at the wrong server could answer
  // anything, so the output boundary keeps them to one short line — after the redactor has
  // seen them (a token the answer echoes would escape a cut made here).
  if (!message.empty()) text += ": " + quote_foreign(message);
  return fail(status_errc(status), std::move(text));
}

error api_error_failure(int status, const std::string& body, const char* code_key) {
  auto j = parse_json(body);
  std::string said;
  if (j && j->is_object()) {
    if (auto e = j->find("error"); e != j->end() && e->is_object()) {
      said = string_field(*e, code_key).value_or("");
      said += (said.empty() ? "" : ": ") + string_field(*e, "message").value_or("");
    }
  }
  return http_failure(status, said);
}

std::optional<nlohmann::json> parse_json(std::string_view body) {
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

std::string request_body(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<std::string> string_field(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace mcpl
