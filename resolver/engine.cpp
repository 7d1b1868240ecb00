#include "resolver/engine.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include "resolver/render.hpp"
#include "resolver/selector.hpp"

namespace mcpl {

using namespace asio::experimental::awaitable_operators;

// A store's provider, built once; concurrent askers wait for the first.
struct resolution_engine::store_slot {
  store_slot(asio::any_io_executor ex, clock::time_point by) : ready(ex), deadline(by) {}
  async_event ready;
  std::optional<result<std::unique_ptr<provider>>> built;
  clock::time_point deadline;  // of the resolution that builds it

  // Built anew by a later resolution: its building failed, or was abandoned at its deadline.
  bool stale() const { return ready.is_set() ? !built || !built->ok() : clock::now() > deadline; }
};

resolution_engine::resolution_engine(const store_catalogue& stores, provider_factory factory,
                                     provider_context ctx, secret_cache& cache, redactor* redact)
    : stores_(stores),
      factory_(std::move(factory)),
      ctx_(std::move(ctx)),
      cache_(cache),
      redact_(redact) {
  if (!ctx_.round) ctx_.round = std::make_shared<resolution_round>();
}

resolution_engine::~resolution_engine() = default;

namespace {
// `| trim`: leading and trailing ASCII whitespace (space, tab, CR, LF, VT, FF) removed.
std::string trim_ascii_whitespace(std::string value) {
  const char* kSpace = " \t\r\n\v\f";
  auto last = value.find_last_not_of(kSpace);
  value.erase(last == std::string::npos ? 0 : last + 1);
  value.erase(0, value.find_first_not_of(kSpace));
  return value;
}

}  // namespace

error resolution_engine::timed_out(const std::string& store) const {
  std::string origin;
  if (auto slot = slots_.find(store);
      slot != slots_.end() && slot->second->built && slot->second->built->ok())
    origin = slot->second->built->value()->origin();
  return fail(errc::unavailable, "store '" + store_label(store) + "'" +
                                     (origin.empty() ? "" : " at " + origin) +
                                     ": no answer before " + deadline_name_ + " ran out");
}

asio::awaitable<result<provider*>> resolution_engine::provider_for(const std::string& store,
                                                                   clock::time_point deadline) {
  auto& entry = slots_[store];
  auto slot = entry;  // kept while this coroutine uses it, should a new resolution drop it
  if (!slot) {
    slot = entry = std::make_shared<store_slot>(ctx_.executor, deadline);
    auto built = co_await build_provider(store, deadline);
    if (built)
      slot->built.emplace(std::unique_ptr<provider>(*built));
    else
      slot->built.emplace(std::move(built).err());
    slot->ready.set();
  } else if (!co_await slot->ready.wait() || !slot->built) {
    co_return fail(errc::unavailable,
                   "store '" + store_label(store) + "': not ready before the deadline");
  }
  if (!slot->built->ok()) co_return slot->built->err();
  co_return slot->built->value().get();
}

asio::awaitable<result<provider*>> resolution_engine::build_provider(const std::string& store,
                                                                     clock::time_point deadline) {
  const store_spec* spec = stores_.find(store);
  if (!spec) co_return fail(errc::internal, "store '" + store + "' vanished from the catalogue");
  nlohmann::json configuration = spec->configuration;
  for (const auto& t : stores_.config_templates(store)) {
    auto values = co_await resolve_within(t.refs, deadline, false);
    std::vector<std::string> rendered;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!values[i].value) {
        const auto& e = values[i].value.err();
        co_return fail(e.code, "store '" + store + "': configuration." + t.field + ": " +
                                   t.refs[i].text + ": " + e.message);
      }
      rendered.push_back(std::move(values[i].value).value());
    }
    configuration[t.where] = render_with(t.parsed, rendered);
    for (const auto& ref : t.refs) {
      const store_spec* source = stores_.find(ref.store);
      if (source && source->type == "env") consumed_env_.insert(ref.fetch_id);
    }
  }
  auto made = factory_(spec->type, configuration, ctx_);
  if (!made) {
    auto e = std::move(made).err();
    co_return fail(e.code, "store '" + store_label(store) + "': " + e.message);
  }
  for (auto& name : (*made)->consumed_env()) consumed_env_.insert(std::move(name));
  // What the store took from the environment as credentials is secret, whatever it is
  // called: a `${NAME}` form or a cwd could carry it into a message.
  if (redact_ && ctx_.env)
    for (const auto& name : consumed_env_)
      if (auto it = ctx_.env->find(name); it != ctx_.env->end()) redact_->add(it->second);
  co_return made->release();
}

std::map<std::string, std::string> resolution_engine::credential_sources() const {
  std::map<std::string, std::string> out;
  for (const auto& [store, slot] : slots_)
    if (slot->built && slot->built->ok())
      if (auto source = (**slot->built)->credentials_source(); !source.empty())
        out[store_label(store)] = std::move(source);
  return out;
}

asio::awaitable<std::map<std::string, result<std::string>>> resolution_engine::fetch_store(
    std::string store, std::vector<std::string> ids, clock::time_point deadline, bool fresh) {
  std::map<std::string, result<std::string>> out;
  auto label = store_label(store);
  auto prov = co_await (provider_for(store, deadline) || sleep_until(deadline));
  if (prov.index() == 1) {
    for (auto& id : ids) out.emplace(id, timed_out(store));
    co_return out;
  }
  auto& p = std::get<0>(prov);
  if (!p) {
    for (auto& id : ids) out.emplace(id, p.err());
    co_return out;
  }

  // Cached values first (unless `fresh`); then join fetches under way; fetch the rest in one
  // batch.
  std::vector<std::string> batch;
  std::vector<std::shared_ptr<secret_cache::flight>> mine;
  std::vector<std::pair<std::string, std::shared_ptr<secret_cache::flight>>> joined;
  for (auto& id : ids) {
    std::string key = fetch_key(store, id);
    if (auto hit = fresh ? std::nullopt : cache_.lookup(key)) {
      out.emplace(id, std::move(*hit));
    } else if (auto f = cache_.in_flight(key)) {
      joined.emplace_back(id, f);
    } else {
      mine.push_back(cache_.begin(key, ctx_.executor));
      batch.push_back(id);
    }
  }
  if (!batch.empty()) {
    fetches_ += batch.size();
    auto got = co_await (p.value()->fetch_many(batch) || sleep_until(deadline));
    for (std::size_t i = 0; i < batch.size(); ++i) {
      bool answered = got.index() == 0 && i < std::get<0>(got).size();
      result<std::string> r =
          answered ? std::move(std::get<0>(got)[i]) : result<std::string>(timed_out(store));
      if (answered && !r) r = fail(r.err().code, "store '" + label + "': " + r.err().message);
      if (r && redact_) redact_->add(*r);
      out.emplace(batch[i], r);
      cache_.complete(fetch_key(store, batch[i]), mine[i], std::move(r));
    }
  }
  for (auto& [id, f] : joined) {
    auto waited = co_await (f->done.wait() || sleep_until(deadline));
    if (waited.index() == 0 && std::get<0>(waited) && f->outcome)
      out.emplace(id, *f->outcome);
    else
      out.emplace(id, timed_out(store));
  }
  co_return out;
}

asio::awaitable<std::vector<resolved>> resolution_engine::resolve(std::vector<bound_reference> refs,
                                                                  clock::time_point deadline,
                                                                  bool fresh) {
  ++ctx_.round->number;
  ctx_.round->deadline = deadline;
  std::erase_if(slots_, [](const auto& slot) { return slot.second->stale(); });
  co_return co_await resolve_within(std::move(refs), deadline, fresh);
}

asio::awaitable<std::vector<resolved>> resolution_engine::resolve_within(
    std::vector<bound_reference> refs, clock::time_point deadline, bool fresh) {
  auto start = clock::now();
  std::map<std::string, std::vector<std::string>> by_store;  // store → distinct ids
  for (const auto& r : refs) {
    auto& ids = by_store[r.store];
    if (std::find(ids.begin(), ids.end(), r.fetch_id) == ids.end()) ids.push_back(r.fetch_id);
  }
  std::vector<std::string> order;
  std::vector<
      asio::awaitable<std::pair<std::map<std::string, result<std::string>>, clock::time_point>>>
      tasks;
  for (auto& [store, ids] : by_store) {
    order.push_back(store);
    tasks.push_back(
        [](resolution_engine* self, std::string store, std::vector<std::string> ids,
           clock::time_point deadline, bool fresh)
            -> asio::awaitable<
                std::pair<std::map<std::string, result<std::string>>, clock::time_point>> {
          auto values = co_await self->fetch_store(store, std::move(ids), deadline, fresh);
          co_return std::pair{std::move(values), clock::now()};
        }(this, store, ids, deadline, fresh));
  }
  auto fetched = co_await gather(std::move(tasks));

  std::vector<resolved> out;
  out.reserve(refs.size());
  for (const auto& r : refs) {
    auto s = std::find(order.begin(), order.end(), r.store) - order.begin();
    auto& [values, done_at] = fetched[s];
    auto latency = std::chrono::duration_cast<std::chrono::microseconds>(done_at - start);
    const auto& raw = values.at(r.fetch_id);
    if (!raw) {
      out.push_back({raw.err(), latency});
      continue;
    }
    result<std::string> value = *raw;
    if (r.has_selector) {
      value = apply_selector(*raw, r.selector);
    } else {
      auto slot = slots_.find(r.store);  // a value was fetched, so its provider was built
      if (slot != slots_.end() && slot->second->built && slot->second->built->ok())
        value = slot->second->built->value()->unselected(*raw);
    }
    if (!value)
      value =
          fail(value.err().code, "store '" + store_label(r.store) + "': " + value.err().message);
    if (value && r.trim) value = trim_ascii_whitespace(std::move(*value));
    if (value && redact_) redact_->add(*value);
    out.push_back({std::move(value), latency});
  }
  co_return out;
}

}  // namespace mcpl
