#include "platform/certificate.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>

namespace mcpl {

namespace {

using bio_ptr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using x509_ptr = std::unique_ptr<X509, decltype(&X509_free)>;

bio_ptr memory(std::string_view bytes) {
  return {BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), BIO_free};
}

// A password callback for PEM_read_bio_PrivateKey: `u` is the std::string_view.
int give_password(char* buf, int size, int, void* u) {
  auto* password = static_cast<std::string_view*>(u);
  int n = static_cast<int>(std::min<std::size_t>(password->size(), static_cast<std::size_t>(size)));
  std::copy_n(password->data(), n, buf);
  return n;
}

result<client_certificate> finish(EVP_PKEY* key, X509* cert) {
  bio_ptr out(BIO_new(BIO_s_mem()), BIO_free);
  if (!out ||
      PEM_write_bio_PKCS8PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return fail(errc::internal, "cannot re-encode the certificate's private key");
  client_certificate c;
  char* data = nullptr;
  long n = BIO_get_mem_data(out.get(), &data);
  c.private_key_pem.assign(data, static_cast<std::size_t>(n));
  OPENSSL_cleanse(data, static_cast<std::size_t>(n));
  int length = i2d_X509(cert, nullptr);
  c.certificate_der.resize(static_cast<std::size_t>(std::max(length, 0)));
  auto* p = reinterpret_cast<unsigned char*>(c.certificate_der.data());
  if (length <= 0 || i2d_X509(cert, &p) != length)
    return fail(errc::internal, "cannot encode the certificate");
  return c;
}

result<client_certificate> from_pem(std::string_view bytes, std::string_view password) {
  auto key_bio = memory(bytes);
  pkey_ptr key(
      key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, give_password, &password) : nullptr,
      EVP_PKEY_free);
  if (!key)
    return fail(errc::config,
                password.empty()
                    ? "no private key in the PEM (or it is encrypted: give its password)"
                    : "no private key in the PEM that the password opens");
  // The certificate that goes with the key: a file may hold its chain too.
  auto cert_bio = memory(bytes);
  while (cert_bio) {
    x509_ptr cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr), X509_free);
    if (!cert) break;
    if (X509_check_private_key(cert.get(), key.get()) == 1) return finish(key.get(), cert.get());
  }
  return fail(errc::config, "no certificate in the PEM matches its private key");
}

result<client_certificate> from_pkcs12(std::string_view bytes, std::string_view password) {
  auto in = memory(bytes);
  std::unique_ptr<PKCS12, decltype(&PKCS12_free)> p12(
      in ? d2i_PKCS12_bio(in.get(), nullptr) : nullptr, PKCS12_free);
  if (!p12) return fail(errc::config, "neither PEM nor PKCS#12");
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  std::string pass(password);
  if (PKCS12_parse(p12.get(), pass.c_str(), &key, &cert, nullptr) != 1)
    return fail(errc::config,
                "the PKCS#12 file does not open with that password (or uses a "
                "legacy cipher: export it again with AES)");
  pkey_ptr owned_key(key, EVP_PKEY_free);
  x509_ptr owned_cert(cert, X509_free);
  if (!key || !cert) return fail(errc::config, "the PKCS#12 file lacks the key or the certificate");
  return finish(key, cert);
}

}  // namespace

result<client_certificate> read_client_certificate(std::string_view bytes,
                                                   std::string_view password) {
  bool pem = bytes.find("-----BEGIN") != std::string_view::npos;
  auto got = pem ? from_pem(bytes, password) : from_pkcs12(bytes, password);
  ERR_clear_error();
  return got;
}

}  // namespace mcpl
