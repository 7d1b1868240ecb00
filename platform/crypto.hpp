// The few cryptographic and encoding primitives the stores need (SigV4's hashes and HMACs,
// base64 payloads), over OpenSSL's libcrypto so that no store includes it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mcpl {

/// The SHA-256 digest of `data`: 32 raw bytes.
std::string sha256(std::string_view data);

/// HMAC-SHA256 of `data` under `key`: 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);

/// Lower-case hexadecimal of raw bytes.
std::string hex(std::string_view bytes);

/// Decodes standard base64 (RFC 4648 §4; padding optional). Nothing when `text` holds a
/// character outside the alphabet or a truncated group.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace mcpl
