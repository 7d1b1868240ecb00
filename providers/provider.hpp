// The provider interface every secret store implements (DESIGN §5, §7).
//
// The resolution engine calls `fetch_many` once per store and launch with every distinct
// identifier of that store (selectors already stripped), so a store that can batch
// (Infisical's list, AWS BatchGetSecretValue) sees them all at once; the default runs
// `fetch` concurrently. A provider keeps its own authentication state (a login token, kept
// in a `renewable` until shortly before it expires) and connections, and reports failures
// as `error` values whose `errc` maps to DESIGN §10.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/renewable.hpp"
#include "core/result.hpp"
#include "platform/http/http.hpp"
#include "platform/run_program.hpp"

namespace mcpl {

namespace asio = boost::asio;

/// The launcher's environment, read once at the edge (no provider calls getenv).
using environment = std::map<std::string, std::string>;

/// Makes the HTTP client of one store, trusting `ca_file` (the store's `caFile`, may be
/// empty) besides the system's certificates, with at most `max_connections` open to one
/// origin (0: the client's default). Tests put a fake here.
using http_client_factory = std::function<result<std::unique_ptr<http_client>>(
    const std::string& ca_file, std::size_t max_connections)>;

/// A store's login token: obtained on first need, shared, and obtained again in the last fifth
/// of its lifetime (core/renewable).
using login_token = renewable<std::string>;

/// One resolution: its number (1, 2, … — a login that failed is not tried again within the
/// same one) and its deadline.
struct resolution_round {
  std::uint64_t number = 0;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

/// What a provider may use besides its configuration.
struct provider_context {
  asio::any_io_executor executor;
  const environment* env = nullptr;
  http_client_factory http;
  /// The resolution under way, shared with the engine that starts each one: a provider lives
  /// across the re-resolutions of supervise mode.
  std::shared_ptr<resolution_round> round = std::make_shared<resolution_round>();
  /// Told every credential a store reads or obtains itself (a token from the environment or
  /// a file, a key, a login's answer) before any message could carry it: the launch's
  /// redactor (DESIGN §11). May be empty.
  std::function<void(std::string_view)> note_secret;
  /// Runs a helper program to its end (platform/run_program; through the init's reaper in
  /// supervise mode). Empty: no program may be run.
  std::function<asio::awaitable<result<program_output>>(exec_request,
                                                        std::chrono::steady_clock::time_point)>
      run_program;
  /// The store's `maxConnections` (0: the default), set by make_provider from the
  /// configuration every network store takes.
  std::size_t max_connections = 0;

  /// When the resolution under way must be over: no retry is started that would end later.
  std::chrono::steady_clock::time_point deadline() const {
    return round ? round->deadline : std::chrono::steady_clock::time_point::max();
  }
  /// Which resolution is under way (0: none counted).
  std::uint64_t round_number() const { return round ? round->number : 0; }

  /// Gives `value` to `note_secret`; returns it, so an obtained token is noted where it lands.
  const std::string& secret(const std::string& value) const {
    if (note_secret && !value.empty()) note_secret(value);
    return value;
  }
  /// A PEM private key: the whole, and each of its lines (a message could hold one).
  void secret_pem(const std::string& pem) const;
  /// The same for a result: noted when it holds a value.
  result<std::string> secret(result<std::string> value) const {
    if (value) secret(*value);
    return value;
  }
  /// The same for a login's token.
  result<login_token::obtained> secret(result<login_token::obtained> token) const {
    if (token) secret(token->value);
    return token;
  }
};

class provider {
 public:
  virtual ~provider() = default;

  /// Fetches the secret named by `identifier` (the store's native form, with version
  /// qualifiers, without selector). Returns its exact bytes.
  virtual asio::awaitable<result<std::string>> fetch(std::string identifier) = 0;

  /// Fetches several identifiers; the results are in the same order. The default calls
  /// `fetch` for each, concurrently.
  virtual asio::awaitable<std::vector<result<std::string>>> fetch_many(
      std::vector<std::string> identifiers);

  /// What a reference without a selector yields from a fetched value: the value itself,
  /// unless the store's values are structured (Vault's key/value maps, DESIGN §7).
  virtual result<std::string> unselected(const std::string& value) const { return value; }

  /// Where the store answers ("https://vault.example.com:8200"), for messages such as a
  /// timeout's; "" for a local store.
  virtual std::string origin() const { return ""; }

  /// Names of the launcher's environment variables this provider read as credentials
  /// (VAULT_TOKEN, AWS_SECRET_ACCESS_KEY, …): the child does not get them (DESIGN §6).
  virtual std::vector<std::string> consumed_env() const { return {}; }

  /// Where the store's own credentials come from ("profile 'dev' (IAM Identity Center, session
  /// 'corp')", "the ADC file …"), for `check`; "" for a store that needs none.
  virtual std::string credentials_source() const { return ""; }

 protected:
  /// What a batching `fetch_many` ends with: `found` holds one slot per identifier, filled
  /// where the batch read had the value; the others are fetched one by one, concurrently.
  asio::awaitable<std::vector<result<std::string>>> fetch_missing(
      std::vector<std::string> identifiers, std::vector<std::optional<result<std::string>>> found);
};

/// The last step of making a network store: its HTTP client, trusting the settings'
/// `ca_file`, handed with the settings and the context to `Store`'s constructor.
template <class Store, class Settings>
result<std::unique_ptr<provider>> with_http_client(Settings settings, const provider_context& ctx) {
  auto http = ctx.http(settings.ca_file, ctx.max_connections);
  if (!http) return http.err();
  return std::unique_ptr<provider>(
      std::make_unique<Store>(std::move(settings), std::move(*http), ctx));
}

/// Builds the provider of one store type from its configuration, whose references are
/// already resolved. Fails with errc::config naming a bad or missing field.
using provider_factory = std::function<result<std::unique_ptr<provider>>(
    const std::string& type, const nlohmann::json& configuration, const provider_context&)>;

}  // namespace mcpl
