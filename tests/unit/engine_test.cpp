// The resolution engine against a recording fake provider: dedupe, concurrency, deadline,
// fail-closed reporting, cache TTL and single-flight, store configuration references.
#include "resolver/engine.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "providers/local/env_store.hpp"
#include "tests/support/specs.hpp"

namespace mcpl {
namespace {

using namespace std::chrono_literals;

struct recorder {
  std::vector<std::vector<std::string>> batches;  // what each fetch_many asked for
  std::vector<nlohmann::json> configurations;     // what each store was built with
  std::vector<std::uint64_t> rounds;              // the resolution each fetch was in
  std::vector<std::chrono::steady_clock::time_point> deadlines;  // and its deadline
  int failing_builds = 0;  // builds to fail (unavailable) first
  int in_flight = 0;
  int max_in_flight = 0;
};

// Answers "value-of-ID" after `delay`; ids starting with "missing" are not found, "hang"
// never answers.
class fake_provider final : public provider {
 public:
  fake_provider(recorder& rec, std::chrono::milliseconds delay, std::vector<std::string> consumes,
                provider_context ctx)
      : rec_(rec), delay_(delay), consumes_(std::move(consumes)), ctx_(std::move(ctx)) {}

  asio::awaitable<result<std::string>> fetch(std::string id) override {
    rec_.rounds.push_back(ctx_.round_number());
    rec_.deadlines.push_back(ctx_.deadline());
    ++rec_.in_flight;
    rec_.max_in_flight = std::max(rec_.max_in_flight, rec_.in_flight);
    asio::steady_timer t(co_await asio::this_coro::executor, id == "hang" ? 1h : delay_);
    co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
    --rec_.in_flight;
    if (id.starts_with("missing")) co_return fail(errc::not_found, "secret not found: " + id);
    if (id == "json") co_return std::string(R"({"user": "u", "token": "t0k"})");
    co_return "value-of-" + id;
  }
  asio::awaitable<std::vector<result<std::string>>> fetch_many(
      std::vector<std::string> ids) override {
    rec_.batches.push_back(ids);
    co_return co_await provider::fetch_many(std::move(ids));
  }

  std::vector<std::string> consumed_env() const override { return consumes_; }

 private:
  recorder& rec_;
  std::chrono::milliseconds delay_;
  std::vector<std::string> consumes_;
  provider_context ctx_;
};

using test::spec;

class EngineTest : public ::testing::Test {
 protected:
  recorder rec;
  std::chrono::milliseconds delay = 20ms;
  environment env = {{"TOK", "env-token"}};
  std::chrono::steady_clock::time_point fake_now = std::chrono::steady_clock::now();
  secret_cache cache{60s, [this] { return fake_now; }};
  asio::io_context io;

  provider_factory factory() {
    return [this](const std::string& type, const nlohmann::json& conf,
                  const provider_context& ctx) -> result<std::unique_ptr<provider>> {
      if (type == "env") return make_env_store(*ctx.env);
      if (conf.contains("broken")) return fail(errc::config, "configuration.address is missing");
      if (rec.failing_builds > 0 && rec.failing_builds--)
        return fail(errc::unavailable, "the token file is not there yet");
      rec.configurations.push_back(conf);
      std::vector<std::string> consumes;
      if (conf.contains("consumes")) consumes.push_back(conf["consumes"]);
      return std::unique_ptr<provider>(std::make_unique<fake_provider>(rec, delay, consumes, ctx));
    };
  }

  bound_reference ref(const store_catalogue& cat, std::string text) {
    auto parsed = parse_template(text);
    EXPECT_TRUE(parsed.ok());
    auto b = cat.bind(*parsed->segments.at(0).ref);
    EXPECT_TRUE(b.ok()) << (b.ok() ? "" : b.err().message);
    return *b;
  }

  std::vector<resolved> run(resolution_engine& engine, std::vector<bound_reference> refs,
                            std::chrono::milliseconds timeout = 5s) {
    std::vector<resolved> out;
    asio::co_spawn(io, engine.resolve(std::move(refs), std::chrono::steady_clock::now() + timeout),
                   [&](std::exception_ptr e, std::vector<resolved> r) {
                     if (e) std::rethrow_exception(e);
                     out = std::move(r);
                   });
    io.restart();
    io.run();
    return out;
  }
};

TEST_F(EngineTest, OneFetchPerDistinctIdentifierSelectorsLocal) {
  auto cat = *store_catalogue::make({spec("v", "hashicorp_vault")});
  resolution_engine engine(cat, factory(), {io.get_executor(), &env, {}, {}, {}, {}, 0}, cache);
  auto out =
      run(engine, {ref(cat, "{{ secrets.v.[json#user] }}"),
                   ref(cat, "{{ secrets.v.[json#token] }}"), ref(cat, "{{ secrets.v.[b] }}"),
                   ref(cat, "{{ secrets.v.[json] }}"), ref(cat, "{{ secrets.v.[b] | file }}")});
  ASSERT_EQ(rec.batches.size(), 1u);
  EXPECT_EQ(rec.batches[0], (std::vector<std::string>{"json", "b"}));
  EXPECT_EQ(engine.fetches(), 2u);
  EXPECT_EQ(*out[0].value, "u");
  EXPECT_EQ(*out[1].value, "t0k");
  EXPECT_EQ(*out[2].value, "value-of-b");
  EXPECT_EQ(*out[3].value, R"({"user": "u", "token": "t0k"})");
  EXPECT_EQ(*out[4].value, "value-of-b");
}

TEST_F(EngineTest, StoresAndIdentifiersResolveConcurrently) {
  delay = 100ms;
  auto cat = *store_catalogue::make(
      {spec("a", "hashicorp_vault"), spec("b", "hashicorp_vault"), spec("c", "hashicorp_vault")});
  resolution_engine engine(cat, factory(), {io.get_executor(), &env, {}, {}, {}, {}, 0}, cache);
  std::vector<bound_reference> refs;
  for (const char* s : {"a", "b", "c"})
    for (const char* id : {"x", "y"})
      refs.push_back(ref(cat, std::string("{{ secrets.") + s + ".[" + id + "] }}"));
  auto out = run(engine, refs);
  for (const auto& r : out) EXPECT_TRUE(r.value.ok());
  // All six were waiting at once: nothing waited for anything else.
  EXPECT_EQ(rec.max_in_flight, 6);
}

TEST_F(EngineTest, EveryFailureIsReportedOnItsOwn) {
  auto cat = *store_catalogue::make({spec("v", "hashicorp_vault")});
  resolution_engine engine(cat, factory(), {io.get_executor(), &env, {}, {}, {}, {}, 0}, cache);
  auto out = run(
      engine, {ref(cat, "{{ secrets.v.[ok] }}"), ref(cat, "{{ secrets.v.[missing1] }}"),
               ref(cat, "{{ secrets.v.[missing2] }}"), ref(cat, "{{ secrets.v.[json#nokey] }}")});
  EXPECT_TRUE(out[0].value.ok());
  EXPECT_EQ(out[1].value.err().code, errc::not_found);
  EXPECT_EQ(out[1].value.err().message, "store 'v': secret not found: missing1");
  EXPECT_EQ(out[2].value.err().message, "store 'v': secret not found: missing2");
  EXPECT_EQ(out[3].value.err().code, errc::content);
  EXPECT_EQ(out[3].value.err().message,
            "store 'v': selector '#nokey': no key 'nokey' (keys: token, user)");
}

TEST_F(EngineTest, DeadlineFailsWhatIsNotDone) {
  auto cat = *store_catalogue::make({spec("v", "hashicorp_vault")});
  resolution_engine engine(cat, factory(), {io.get_executor(), &env, {}, {}, {}, {}, 0}, cache);
  auto start = std::chrono::steady_clock::now();
  auto out =
      run(engine, {ref(cat, "{{ secrets.v.[hang] }}"), ref(cat, "{{ secrets.v.[quick] }}")}, 200ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);  // not the hour the fetch would take
  ASSERT_FALSE(out[0].value.ok());
  EXPECT_EQ(out[0].value.err().code, errc::unavailable);
  EXPECT_EQ(out[0].value.err().message,
            "store 'v': no answer before the resolution deadline ran out");
}

TEST_F(EngineTest, CacheServesWithinTtlAndRefetchesAfter) {
  auto cat = *store_catalogue::make({spec("v", "hashicorp_vault")});
  resolution_engine engine(cat, factory(), {io.get_executor(), &env, {}, {}, {}, {}, 0}, cache);
  run(engine, {ref(cat, "{{ secrets.v.[a] }}")});
  fake_now += 59s;
  auto again = run(engine, {ref(cat, "{{ secrets.v.[a] }}")});
  EXPECT_EQ(*again[0].value, "value-of-a");
  EXPECT_EQ(engine.fetches(), 1u);
  fake_now += 2s;
  run(engine, {ref(cat, "{{ secrets.v.[a] }}")});
  EXPECT_EQ(engine.fetches(), 2u);
}

TEST_F(EngineTest, StoresStayBuiltAcrossResolutionsEachWithItsRoundAndDeadline) {
  // Supervise mode resolves again and again with one engine: the store is built once (its
  // connections and login token kept); each resolution is a round of its own, with its own
  // deadline, which the store's retries and logins go by.
  auto cat = *store_catalogue::make({spec("v", "hashicorp_vault")});
  resolution_engine engine(cat, factory(), {io.get_executor(), &env, {}, {}, {}, {}, 0}, cache);
  auto first = std::chrono::steady_clock::now();
  run(engine, {ref(cat, "{{ secrets.v.[a] }}")});
  fake_now += 61s;
  run(engine, {ref(cat, "{{ secrets.v.[a] }}")}, 20s);
  EXPECT_EQ(rec.configurations.size(), 1u);
  EXPECT_EQ(engine.fetches(), 2u);
  EXPECT_EQ(rec.rounds, (std::vector<std::uint64_t>{1, 2}));
  ASSERT_EQ(rec.deadlines.size(), 2u);
  EXPECT_LT(rec.deadlines[0], first + 6s);
  EXPECT_GT(rec.deadlines[1], first + 19s);
}

TEST_F(EngineTest, AStoreThatCouldNotBeBuiltIsBuiltAgainByTheNextResolution) {
  rec.failing_builds = 1;
  auto cat = *store_catalogue::make({spec("v", "hashicorp_vault")});
  resolution_engine engine(cat, factory(), {io.get_executor(), &env, {}, {}, {}, {}, 0}, cache);
  auto out = run(engine, {ref(cat, "{{ secrets.v.[a] }}"), ref(cat, "{{ secrets.v.[b] }}")});
  EXPECT_EQ(out[0].value.err().message, "store 'v': the token file is not there yet");
  EXPECT_EQ(out[1].value.err().code, errc::unavailable);  // one build, failed for both
  out = run(engine, {ref(cat, "{{ secrets.v.[a] }}")});
  EXPECT_EQ(*out[0].value, "value-of-a");
  EXPECT_EQ(rec.configurations.size(), 1u);
}

TEST_F(EngineTest, AFreshResolutionReadsPastTheCacheAndRefillsIt) {
  auto cat = *store_catalogue::make({spec("v", "hashicorp_vault")});
  resolution_engine engine(cat, factory(), {io.get_executor(), &env, {}, {}, {}, {}, 0}, cache);
  run(engine, {ref(cat, "{{ secrets.v.[a] }}")});
  std::vector<resolved> out;
  asio::co_spawn(io,
                 engine.resolve({ref(cat, "{{ secrets.v.[a] }}")},
                                std::chrono::steady_clock::now() + 5s, /*fresh=*/true),
                 [&](std::exception_ptr, std::vector<resolved> r) { out = std::move(r); });
  io.restart();
  io.run();
  EXPECT_EQ(*out[0].value, "value-of-a");
  EXPECT_EQ(engine.fetches(), 2u);
  run(engine, {ref(cat, "{{ secrets.v.[a] }}")});  // the cache has it again
  EXPECT_EQ(engine.fetches(), 2u);
}

TEST_F(EngineTest, FailuresAreNotCached) {
  auto cat = *store_catalogue::make({spec("v", "hashicorp_vault")});
  resolution_engine engine(cat, factory(), {io.get_executor(), &env, {}, {}, {}, {}, 0}, cache);
  run(engine, {ref(cat, "{{ secrets.v.[missing] }}")});
  run(engine, {ref(cat, "{{ secrets.v.[missing] }}")});
  EXPECT_EQ(engine.fetches(), 2u);
}

TEST_F(EngineTest, ConcurrentRequestsShareOneFetch) {
  auto cat = *store_catalogue::make({spec("v", "hashicorp_vault")});
  resolution_engine engine(cat, factory(), {io.get_executor(), &env, {}, {}, {}, {}, 0}, cache);
  std::vector<resolved> first, second;
  auto deadline = std::chrono::steady_clock::now() + 5s;
  asio::co_spawn(io, engine.resolve({ref(cat, "{{ secrets.v.[a] }}")}, deadline),
                 [&](std::exception_ptr, std::vector<resolved> r) { first = std::move(r); });
  asio::co_spawn(
      io,
      engine.resolve({ref(cat, "{{ secrets.v.[a#x] }}"), ref(cat, "{{ secrets.v.[a] }}")},
                     deadline),
      [&](std::exception_ptr, std::vector<resolved> r) { second = std::move(r); });
  io.run();
  EXPECT_EQ(engine.fetches(), 1u);
  EXPECT_EQ(*first[0].value, "value-of-a");
  EXPECT_EQ(*second[1].value, "value-of-a");
  EXPECT_EQ(second[0].value.err().code, errc::content);  // "value-of-a" is not JSON
}

TEST_F(EngineTest, StoreConfigurationReferencesResolveFirstAndAreConsumed) {
  auto cat = *store_catalogue::make(
      {spec("base", "hashicorp_vault"),
       spec("v", "hashicorp_vault",
            {{"token", "{{ env.TOK }}"}, {"nested", {{"k", "x-{{ secrets.base.[k] }}"}}}})});
  resolution_engine engine(cat, factory(), {io.get_executor(), &env, {}, {}, {}, {}, 0}, cache);
  auto out = run(engine, {ref(cat, "{{ secrets.v.[a] }}")});
  ASSERT_TRUE(out[0].value.ok());
  ASSERT_EQ(rec.configurations.size(), 2u);  // base, then v
  EXPECT_EQ(rec.configurations[1]["token"], "env-token");
  EXPECT_EQ(rec.configurations[1]["nested"]["k"], "x-value-of-k");
  EXPECT_EQ(engine.consumed_env(), (std::set<std::string>{"TOK"}));
}

TEST_F(EngineTest, WhatAStoreConsumedIsSecretToTheRedactor) {
  // A credential variable the provider read by itself (as Vault reads VAULT_TOKEN): a
  // ${NAME} form or a cwd could carry its value into a message.
  env["OWN_TOKEN"] = "own-token-value";
  auto cat = *store_catalogue::make({spec("v", "hashicorp_vault", {{"consumes", "OWN_TOKEN"}})});
  redactor red;
  resolution_engine engine(cat, factory(), {io.get_executor(), &env, {}, {}, {}, {}, 0}, cache,
                           &red);
  auto out = run(engine, {ref(cat, "{{ secrets.v.[a] }}")});
  ASSERT_TRUE(out[0].value.ok());
  EXPECT_EQ(engine.consumed_env(), (std::set<std::string>{"OWN_TOKEN"}));
  EXPECT_EQ(red.redact("cwd /x/own-token-value: gone"), "cwd /x/***: gone");
}

TEST_F(EngineTest, StoreThatCannotBeBuiltFailsItsReferences) {
  auto cat = *store_catalogue::make({spec("v", "hashicorp_vault", {{"broken", true}}),
                                     spec("w", "hashicorp_vault", {{"token", "{{ env.NOPE }}"}})});
  resolution_engine engine(cat, factory(), {io.get_executor(), &env, {}, {}, {}, {}, 0}, cache);
  auto out = run(engine, {ref(cat, "{{ secrets.v.[a] }}"), ref(cat, "{{ secrets.w.[a] }}")});
  EXPECT_EQ(out[0].value.err().message, "store 'v': configuration.address is missing");
  EXPECT_EQ(out[1].value.err().code, errc::config);
  EXPECT_EQ(out[1].value.err().message,
            "store 'w': configuration.token: {{ env.NOPE }}: store 'env': environment variable "
            "NOPE is not set");
}

}  // namespace
}  // namespace mcpl
