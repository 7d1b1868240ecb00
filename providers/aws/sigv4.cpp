#include "providers/aws/sigv4.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <vector>

#include "platform/crypto.hpp"
#include "platform/http/url.hpp"

namespace mcpl {

namespace {

std::string utc(std::chrono::system_clock::time_point when, const char* format) {
  std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, format, &tm);
  return out;
}

// The path with "." and ".." resolved and empty segments dropped; a trailing slash stays.
std::string normalized(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string segment = path.substr(start, slash - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(std::move(segment));
    }
    start = slash + 1;
  }
  std::string out;
  for (const auto& s : segments) out += "/" + s;
  bool trailing = path.size() > 1 && path.back() == '/' && !segments.empty();
  return out.empty() ? "/" : trailing ? out + "/" : out;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Parameters decoded, re-encoded the one way SigV4 allows, and sorted by name, then value.
std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto param = query.substr(0, amp);
    if (!param.empty()) {
      auto eq = param.find('=');
      std::string name = percent_encode(percent_decode(param.substr(0, eq)));
      std::string value =
          eq == std::string_view::npos ? "" : percent_encode(percent_decode(param.substr(eq + 1)));
      params.emplace_back(std::move(name), std::move(value));
    }
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) out += (out.empty() ? "" : "&") + name + "=" + value;
  return out;
}

// Leading and trailing blanks removed, inner runs of blanks made one space.
std::string canonical_value(std::string_view value) {
  std::string out;
  bool blank = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      blank = !out.empty();
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

}  // namespace

sigv4_signature sign_v4(const sigv4_request& req, const aws_credentials& creds,
                        const sigv4_scope& scope) {
  sigv4_signature sig;
  std::string date_time = utc(scope.when, "%Y%m%dT%H%M%SZ");
  std::string body_hash = hex(sha256(req.body));
  sig.headers.emplace_back("X-Amz-Date", date_time);
  if (!creds.session_token.empty())
    sig.headers.emplace_back("X-Amz-Security-Token", creds.session_token);
  if (scope.sign_body) sig.headers.emplace_back("X-Amz-Content-Sha256", body_hash);

  // Names in lower case, sorted; a name given several times keeps its values in order.
  std::map<std::string, std::string> headers;
  auto add = [&](const std::string& name, const std::string& value) {
    std::string key = name;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    auto [it, fresh] = headers.emplace(key, canonical_value(value));
    if (!fresh) it->second += "," + canonical_value(value);
  };
  for (const auto& [name, value] : req.headers) add(name, value);
  for (const auto& [name, value] : sig.headers) add(name, value);
  std::string canonical_headers, signed_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    signed_headers += (signed_headers.empty() ? "" : ";") + name;
  }

  std::string path = scope.normalize_path ? normalized(req.path) : req.path;
  sig.canonical_request = req.method + "\n" + percent_encode(path, /*keep_slash=*/true) + "\n" +
                          canonical_query(req.query) + "\n" + canonical_headers + "\n" +
                          signed_headers + "\n" + body_hash;
  std::string date = date_time.substr(0, 8);
  std::string credential_scope = date + "/" + scope.region + "/" + scope.service + "/aws4_request";
  sig.string_to_sign = "AWS4-HMAC-SHA256\n" + date_time + "\n" + credential_scope + "\n" +
                       hex(sha256(sig.canonical_request));
  std::string key = hmac_sha256("AWS4" + creds.secret_access_key, date);
  key = hmac_sha256(key, scope.region);
  key = hmac_sha256(key, scope.service);
  key = hmac_sha256(key, "aws4_request");
  sig.signature = hex(hmac_sha256(key, sig.string_to_sign));
  sig.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + creds.access_key_id +
                                                "/" + credential_scope + ", SignedHeaders=" +
                                                signed_headers + ", Signature=" + sig.signature);
  return sig;
}

}  // namespace mcpl
