// The few cryptographic and encoding primitives the stores need (SigV4's hashes and HMACs,
// RS256 for Google's JWTs and ES256 for OAuth client assertions, base64 payloads, CRC32C checksums), over OpenSSL's libcrypto so
// that no store includes it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mcpl {

/// The SHA-256 digest of `data`: 32 raw bytes.
std::string sha256(std::string_view data);

/// The SHA-1 digest of `data`: 20 raw bytes. Only to name files as other tools name them
/// (the AWS CLI's SSO token cache); never for anything that must resist an attacker.
std::string sha1(std::string_view data);

/// HMAC-SHA256 of `data` under `key`: 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);

/// Lower-case hexadecimal of raw bytes.
std::string hex(std::string_view bytes);

/// Decodes standard base64 (RFC 4648 §4; padding optional). Nothing when `text` holds a
/// character outside the alphabet or a truncated group.
std::optional<std::string> base64_decode(std::string_view text);

/// Standard base64 with padding (RFC 4648 §4): the Basic scheme, header sentinels.
std::string base64_encode(std::string_view bytes);

/// base64url without padding (RFC 4648 §5), as JWTs use it.
std::string base64url_encode(std::string_view bytes);

/// CRC32C (Castagnoli) of `data`, as Google Cloud checksums payloads.
std::uint32_t crc32c(std::string_view data);

/// The RSASSA-PKCS1-v1_5 SHA-256 signature (JWT "RS256") of `data` with the PEM private key
/// `pem_key`. Fails with errc::config when the key cannot be read or is not RSA; the
/// message never holds the key.
result<std::string> rs256_sign(std::string_view pem_key, std::string_view data);

/// The RSASSA-PSS signature (JWT "PS256": SHA-256, MGF1 with SHA-256, a 32-byte salt) of
/// `data` with the PEM private key `pem_key`. Fails with errc::config when it is not RSA.
result<std::string> ps256_sign(std::string_view pem_key, std::string_view data);

/// The ECDSA P-256 SHA-256 signature (JWT "ES256": r and s, 32 bytes each) of `data` with the
/// PEM private key `pem_key`. Fails with errc::config when the key is not a P-256 key.
result<std::string> es256_sign(std::string_view pem_key, std::string_view data);

/// `n` bytes from the system's secure random source.
std::string random_bytes(std::size_t n);

/// The JWT algorithm a PEM private key signs with: "RS256" (RSA) or "ES256" (P-256). Fails
/// with errc::config for any other key, or text that is not a PEM private key.
result<std::string> jwt_algorithm(std::string_view pem_key);

}  // namespace mcpl
