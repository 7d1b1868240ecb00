#include "providers/http/oauth.hpp"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include "providers/http/http_errors.hpp"

namespace mcpl {

namespace {

error token_error(int status, const std::string& body, std::string_view who) {
  auto j = parse_json(body);
  std::string code, description;
  if (j && j->is_object()) {
    if (auto nested = j->find("error"); nested != j->end() && nested->is_object()) {
      code = string_field(*nested, "status").value_or("");  // Google's API error shape
      description = string_field(*nested, "message").value_or("");
    } else {
      code = string_field(*j, "error").value_or("");
      description = string_field(*j, "error_description").value_or("");
    }
  }
  auto e = http_failure(status, code.empty() ? description : code + ": " + description);
  bool rejected = code == "invalid_client" || code == "invalid_grant" ||
                  code == "unauthorized_client" || code == "access_denied" ||
                  description.rfind("AADSTS", 0) == 0;
  if (rejected && status < 500) e.code = errc::refused;
  e.message = std::string(who) + ": " + e.message;
  return e;
}

}  // namespace

result<token_answer> parse_token_answer(int status, const std::string& body, std::string_view who) {
  if (status != 200) return token_error(status, body, who);
  auto j = parse_json(body);
  auto token = j ? string_field(*j, "access_token") : std::nullopt;
  if (!token || token->empty())
    return fail(errc::unavailable, std::string(who) + ": the answer has no access_token");
  token_answer out{std::move(*token), std::nullopt};
  if (auto e = j->find("expires_in"); e != j->end()) {
    if (e->is_number_unsigned()) {
      out.lifetime = std::chrono::seconds(e->get<std::uint64_t>());
    } else if (e->is_string()) {
      auto text = e->get<std::string>();
      std::uint64_t n = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc() && end == text.data() + text.size() && !text.empty())
        out.lifetime = std::chrono::seconds(n);
    }
  }
  return out;
}

result<std::string> parse_access_token(int status, const std::string& body, std::string_view who) {
  auto answer = parse_token_answer(status, body, who);
  if (!answer) return answer.err();
  return std::move(answer->value);
}

std::optional<std::chrono::system_clock::time_point> parse_expiration(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS, then an optional fraction, then Z (or +00:00).
  std::tm tm{};
  int consumed = 0;
  std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
      consumed != 19)
    return std::nullopt;
  std::string_view rest = text.substr(19);
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') rest.remove_prefix(1);
  }
  if (rest != "Z" && rest != "+00:00") return std::nullopt;
  // A time_point counts nanoseconds in 64 bits: years past 2262 do not fit. Credentials said
  // to expire that far away (or before 1970) are taken as not expiring.
  if (tm.tm_year < 1970 || tm.tm_year > 2200) return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t when = timegm(&tm);
  if (when == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(when);
}

std::optional<std::chrono::system_clock::time_point> unix_time(std::int64_t count,
                                                               std::int64_t per_second) {
  constexpr std::int64_t year_2200 = 7258118400;  // seconds since the epoch
  if (per_second <= 0 || count <= 0 || count / per_second >= year_2200) return std::nullopt;
  auto ms =
      std::chrono::milliseconds(count / per_second * 1000 + count % per_second * 1000 / per_second);
  return std::chrono::system_clock::time_point(ms);
}

}  // namespace mcpl
