// A client certificate with its private key, as a service principal authenticates with one
// (Microsoft Entra ID's certificate credentials): read from a PEM file holding both, or from
// a PKCS#12 (.pfx) file and its password, over OpenSSL so that no store includes it.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mcpl {

struct client_certificate {
  std::string private_key_pem;  ///< PKCS#8 PEM, unencrypted: only in memory
  std::string certificate_der;  ///< the leaf certificate, whose thumbprints name it
};

/// Reads `bytes`: PEM text with a certificate and a private key (encrypted with `password`
/// when it is), or PKCS#12 opened with `password`. The first certificate that matches the
/// key is the leaf. Fails with errc::config naming what is missing or wrong; the message
/// never holds the key.
result<client_certificate> read_client_certificate(std::string_view bytes,
                                                   std::string_view password);

}  // namespace mcpl
