#include "platform/crypto.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace mcpl {

std::string sha256(std::string_view data) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string sha1(std::string_view data) {
  std::string out(SHA_DIGEST_LENGTH, '\0');
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       reinterpret_cast<unsigned char*>(out.data()), &length);
  return out;
}

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;  // one character cannot finish a byte
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned bits = 0;
  int held = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+')
      v = 62;
    else if (c == '/')
      v = 63;
    else
      return std::nullopt;
    bits = (bits << 6) | static_cast<unsigned>(v);
    held += 6;
    if (held >= 8) {
      held -= 8;
      out += static_cast<char>((bits >> held) & 0xff);
    }
  }
  return out;
}

namespace {

std::string base64_with(std::string_view bytes, const char* alphabet) {
  std::string out;
  unsigned bits = 0;
  int held = 0;
  for (unsigned char c : bytes) {
    bits = (bits << 8) | c;
    held += 8;
    while (held >= 6) {
      held -= 6;
      out += alphabet[(bits >> held) & 63];
    }
  }
  if (held > 0) out += alphabet[(bits << (6 - held)) & 63];
  return out;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  return base64_with(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}

std::string base64_encode(std::string_view bytes) {
  std::string out =
      base64_with(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
  while (out.size() % 4) out += '=';
  return out;
}

std::uint32_t crc32c(std::string_view data) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0x82f63b78u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xffffffffu;
  for (unsigned char c : data) crc = table[(crc ^ c) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

namespace {

using pkey_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

result<pkey_ptr> read_private_key(std::string_view pem_key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem_key.data(), static_cast<int>(pem_key.size())), BIO_free);
  pkey_ptr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr,
               EVP_PKEY_free);
  ERR_clear_error();
  if (!key) return fail(errc::config, "the private key is not a PEM private key");
  return key;
}

// SHA-256 and the key's own signature scheme: PKCS#1 v1.5 for RSA (PSS when `pss`), DER
// ECDSA for EC.
result<std::string> digest_sign(EVP_PKEY* key, std::string_view data, const char* alg,
                                bool pss = false) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t length = 0;
  auto bytes = reinterpret_cast<const unsigned char*>(data.data());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key) != 1 ||
      (pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
               EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
               EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1)) ||
      EVP_DigestSign(ctx.get(), nullptr, &length, bytes, data.size()) != 1) {
    ERR_clear_error();
    return fail(errc::internal, std::string(alg) + " signing failed");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, bytes,
                     data.size()) != 1) {
    ERR_clear_error();
    return fail(errc::internal, std::string(alg) + " signing failed");
  }
  signature.resize(length);
  return signature;
}

bool is_p256(EVP_PKEY* key) {
  char group[64] = {};
  std::size_t length = 0;
  return EVP_PKEY_get_base_id(key) == EVP_PKEY_EC &&
         EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) == 1 &&
         std::string_view(group) == "prime256v1";
}

}  // namespace

result<std::string> rs256_sign(std::string_view pem_key, std::string_view data) {
  auto key = read_private_key(pem_key);
  if (!key) return key.err();
  if (EVP_PKEY_get_base_id(key->get()) != EVP_PKEY_RSA)
    return fail(errc::config, "the private key is not an RSA key");
  return digest_sign(key->get(), data, "RS256");
}

result<std::string> ps256_sign(std::string_view pem_key, std::string_view data) {
  auto key = read_private_key(pem_key);
  if (!key) return key.err();
  if (EVP_PKEY_get_base_id(key->get()) != EVP_PKEY_RSA)
    return fail(errc::config, "the private key is not an RSA key");
  return digest_sign(key->get(), data, "PS256", /*pss=*/true);
}

result<std::string> es256_sign(std::string_view pem_key, std::string_view data) {
  auto key = read_private_key(pem_key);
  if (!key) return key.err();
  if (!is_p256(key->get())) return fail(errc::config, "the private key is not a P-256 EC key");
  auto der = digest_sign(key->get(), data, "ES256");
  if (!der) return der;
  // JWS wants r and s as two 32-byte big-endian numbers, not the DER sequence.
  auto in = reinterpret_cast<const unsigned char*>(der->data());
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(
      d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(der->size())), ECDSA_SIG_free);
  std::string raw(64, '\0');
  auto out = reinterpret_cast<unsigned char*>(raw.data());
  if (!sig || BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, 32) != 32 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + 32, 32) != 32) {
    ERR_clear_error();
    return fail(errc::internal, "ES256 signing failed");
  }
  return raw;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    throw std::runtime_error("the system's random source failed");
  return out;
}

result<std::string> jwt_algorithm(std::string_view pem_key) {
  auto key = read_private_key(pem_key);
  if (!key) return key.err();
  if (EVP_PKEY_get_base_id(key->get()) == EVP_PKEY_RSA) return std::string("RS256");
  if (is_p256(key->get())) return std::string("ES256");
  return fail(errc::config, "the private key is neither RSA nor P-256 EC (RS256, ES256)");
}

}  // namespace mcpl
