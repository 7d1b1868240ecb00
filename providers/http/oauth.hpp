// What Google's and Microsoft's token endpoints share: OAuth 2.0 token answers
// ({access_token, expires_in, token_type}) and their errors ({error, error_description},
// Microsoft's "AADSTS…" codes among them). Vault's and Infisical's logins give their tokens
// as the same `token_answer`.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/renewable.hpp"
#include "core/result.hpp"

namespace mcpl {

/// The access token of a token endpoint's answer; or, for an unsuccessful one, the error it
/// means — a rejected client, secret, assertion or grant (invalid_client, invalid_grant,
/// unauthorized_client, any AADSTS code) is a refusal — named after `who` ("token endpoint
/// https://oauth2.googleapis.com/token").
result<std::string> parse_access_token(int status, const std::string& body, std::string_view who);

/// A successful token answer as `renewable` keeps it: the token (`value`), and how long it
/// lives when the answer says (`lifetime`, from `expires_in`: a number or, as Microsoft
/// writes it, a string of digits).
using token_answer = renewable<std::string>::obtained;

/// As parse_access_token, with the token's lifetime.
result<token_answer> parse_token_answer(int status, const std::string& body, std::string_view who);

/// An expiry as AWS and Google write it, RFC 3339 in UTC ("2026-11-30T18:00:00Z", fractions
/// of a second allowed, "+00:00" too); none when it is not one.
std::optional<std::chrono::system_clock::time_point> parse_expiration(std::string_view text);

/// `count` units of 1/`per_second` s since the epoch (an expiry as a number: AWS's SSO portal
/// in milliseconds, the Azure CLI in seconds). A time_point counts nanoseconds in 64 bits:
/// a time past 2200, or not after 1970, is none (taken as not said).
std::optional<std::chrono::system_clock::time_point> unix_time(std::int64_t count,
                                                               std::int64_t per_second);

}  // namespace mcpl
