#include "launcher/config_permissions.hpp"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "launcher/logging.hpp"

namespace mcpl {

namespace {

// Configuration fields that hold credentials in the stores' configurations.
bool is_credential_field(const std::string& key) {
  static const char* const kFields[] = {"token",
                                        "accessToken",
                                        "clientSecret",
                                        "secretId",
                                        "secretAccessKey",
                                        "sessionToken",
                                        "password",
                                        "privateKey",
                                        "apiKey",
                                        "serviceAccountKey",
                                        "private_key",
                                        "clientCertificate",
                                        "clientCertificatePassword"};
  for (const char* f : kFields)
    if (key == f) return true;
  return false;
}

bool holds_inline_credentials(const nlohmann::json& value) {
  if (!value.is_object()) return false;
  for (const auto& [k, v] : value.items()) {
    if (v.is_string() && is_credential_field(k) && !v.get_ref<const std::string&>().empty() &&
        v.get_ref<const std::string&>().find("{{") == std::string::npos)
      return true;
    if (holds_inline_credentials(v)) return true;
  }
  return false;
}

bool trusted_owner(uid_t owner) { return owner == geteuid() || owner == 0; }

// The directory the file really is in, symbolic links followed.
std::string directory_of(const std::string& path) {
  char real[PATH_MAX];
  std::string resolved = ::realpath(path.c_str(), real) ? real : path;
  auto slash = resolved.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : resolved.substr(0, slash);
}

}  // namespace

result<void> check_config_permissions(const std::string& path, const struct stat& st) {
  auto refuse = [&](const std::string& why, const std::string& fix) {
    return fail(errc::config, "config file " + path + " " + why +
                                  ": whoever can change it can send your credentials "
                                  "elsewhere; " +
                                  fix);
  };
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return refuse("is writable by group or others", "chmod go-w " + path);
  if (!trusted_owner(st.st_uid))
    return refuse("belongs to another user (uid " + std::to_string(st.st_uid) + ")",
                  "make it yours or root's");
  std::string dir = directory_of(path);
  struct stat d {};
  if (::stat(dir.c_str(), &d) != 0) return {};  // read already; nothing more to learn
  bool shared = (d.st_mode & (S_IWGRP | S_IWOTH)) != 0;
  if (shared && (d.st_mode & S_ISVTX) == 0)
    return refuse("is in " + dir + ", which group or others can write",
                  "chmod go-w " + dir + ", or keep the file in a directory of your own");
  if (!trusted_owner(d.st_uid) && !shared)
    return refuse("is in " + dir + ", which belongs to another user",
                  "keep the file in a directory of your own");
  return {};
}

void warn_if_exposed(const std::string& path, const struct stat& st, const config& cfg) {
  bool inline_creds = false;
  for (const auto& s : cfg.stores)
    inline_creds = inline_creds || holds_inline_credentials(s.configuration);
  if (inline_creds && (st.st_mode & 077) != 0)
    log::warn(path + " holds inline credentials and is readable by group or others: chmod 600 " +
              path);
}

}  // namespace mcpl
