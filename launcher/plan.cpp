#include "launcher/plan.hpp"

#include <algorithm>

#include "launcher/logging.hpp"
#include "resolver/render.hpp"
#include "launcher/remote_plan.hpp"

namespace mcpl {

namespace {

// Variables that are the launcher's own input, never templates: the inline configuration.
constexpr const char* kConfigVariable = "MCP_LAUNCH_CONFIG_JSON";

}  // namespace

result<template_field> make_field(const std::string& text, std::string where,
                                  const store_catalogue& stores, const environment* host_env,
                                  bool lenient) {
  auto parsed = parse_template(text);
  if (!parsed) return fail(errc::config, where + ": " + parsed.err().message);
  template_field f{std::move(where), std::move(*parsed), {}, {}};
  for (auto& seg : f.parsed.segments) {
    if (!seg.ref) {
      if (auto like = find_lookalike(seg.literal))
        log::warn(f.where + ": '" + like->text +
                  "' is not a reference and is passed on as it is; " + "a reference reads {{ " +
                  like->meant + ".… }}");
      if (host_env) {
        auto expanded = expand_host_variables(seg.literal, *host_env, &f.host_vars);
        if (!expanded) return fail(errc::config, f.where + ": " + expanded.err().message);
        seg.literal = std::move(*expanded);
      }
      continue;
    }
    auto bound = stores.bind(*seg.ref);
    if (!bound && !lenient)
      return fail(errc::config, f.where + ": column " + std::to_string(seg.ref->column) + ": " +
                                    bound.err().message);
    bound_reference b;
    if (bound) {
      b = std::move(*bound);
    } else {
      b.text = seg.ref->text;
      b.unbound = fail(errc::config,
                       "column " + std::to_string(seg.ref->column) + ": " + bound.err().message);
    }
    b.where = f.where;
    f.refs.push_back(std::move(b));
  }
  return f;
}

namespace {

// A value taken as it is: no reference, no host variable.
template_field literal_field(const std::string& text, std::string where) {
  template_field f{std::move(where), {}, {}, {}};
  f.parsed.segments.push_back({text, std::nullopt});
  return f;
}

bool matches(const template_env_filter& filter, const std::string& name) {
  if (filter.empty()) return true;
  return std::any_of(filter.begin(), filter.end(), [&](const std::string& pattern) {
    if (pattern.ends_with('*')) return name.starts_with(pattern.substr(0, pattern.size() - 1));
    return name == pattern;
  });
}

// The launcher's own environment: an MCP client's "env" block arrives here, so in wrap mode
// the variables `filter` lets through are templates; with `filter` null none is.
result<std::vector<std::pair<std::string, template_field>>> environment_fields(
    const environment& env, const store_catalogue& stores, const template_env_filter* filter,
    bool lenient) {
  std::vector<std::pair<std::string, template_field>> out;
  for (const auto& [name, value] : env) {
    std::string where = "environment variable " + name;
    if (!filter || name == kConfigVariable || !matches(*filter, name)) {
      out.emplace_back(name, literal_field(value, std::move(where)));
      continue;
    }
    auto f = make_field(value, std::move(where), stores, nullptr, lenient);
    if (!f) return std::move(f).err();
    out.emplace_back(name, std::move(*f));
  }
  return out;
}

// The variable a reference reads from the launcher's environment, if it reads one.
std::optional<std::string> env_variable(const bound_reference& ref, const store_catalogue& stores) {
  const store_spec* spec = stores.find(ref.store);
  if (spec && spec->type == "env") return ref.fetch_id;
  return std::nullopt;
}

}  // namespace

std::vector<bound_reference> launch_plan::all_references() const {
  std::vector<bound_reference> out;
  auto add = [&](const template_field& f) { out.insert(out.end(), f.refs.begin(), f.refs.end()); };
  add(command);
  for (const auto& a : args) add(a);
  for (const auto& [name, f] : env) add(f);
  if (cwd) add(*cwd);
  if (remote) {
    add(remote->url);
    for (const auto& [name, f] : remote->headers) add(f);
    for (const auto* f : {&remote->client_id, &remote->client_secret, &remote->private_key})
      if (*f) add(**f);
  }
  return out;
}

std::vector<std::string> field_values::next(const template_field& f) {
  std::vector<std::string> mine(values_.begin() + next_, values_.begin() + next_ + f.refs.size());
  next_ += f.refs.size();
  return mine;
}

std::string field_values::render(const template_field& f) { return render_with(f.parsed, next(f)); }

bool launch_plan::references_in_argv() const {
  if (!command.refs.empty()) return true;
  for (const auto& a : args)
    if (!a.refs.empty()) return true;
  return false;
}

result<void> check_template_env(const template_env_filter& filter) {
  for (const auto& pattern : filter) {
    auto star = pattern.find('*');
    if (pattern.empty() || pattern == "*" ||
        (star != std::string::npos && star != pattern.size() - 1))
      return fail(errc::usage,
                  "--template-env '" + pattern +
                      "': give a variable's NAME or a PREFIX* (a '*' only at the end)");
  }
  return {};
}

void warn_idle_keep_env(const std::vector<std::string>& keep,
                        const std::set<std::string>& consumed) {
  for (const auto& name : keep) {
    if (name.find(',') != std::string::npos)
      log::warn("--keep-env '" + name +
                "' names one variable; repeat the option for each: --keep-env A --keep-env B");
    else if (!consumed.count(name))
      log::warn("--keep-env " + name + ": the launcher did not consume " + name +
                " in this launch, so there was nothing to keep (it passes on as it is, if set)");
  }
}

result<void> check_handoffs(const launch_plan& plan, const std::set<std::string>& consumed,
                            const std::vector<std::string>& keep, const store_catalogue& stores) {
  auto kept = [&](const std::string& name) {
    return std::find(keep.begin(), keep.end(), name) != keep.end();
  };
  auto refuse = [](const std::string& where, const std::string& how, const std::string& name) {
    return fail(errc::config,
                where + ": " + how + " would hand " + name +
                    ", a credential the launcher consumed to reach a store, to the child; "
                    "give --keep-env " +
                    name + " if the server is meant to have it");
  };
  auto check = [&](const template_field& f) -> result<void> {
    for (const auto& ref : f.refs)
      if (auto name = env_variable(ref, stores); name && consumed.count(*name) && !kept(*name))
        return refuse(f.where, ref.text, *name);
    for (const auto& name : f.host_vars)
      if (consumed.count(name) && !kept(name)) return refuse(f.where, "${" + name + "}", name);
    return {};
  };
  if (auto r = check(plan.command); !r) return r;
  for (const auto& a : plan.args)
    if (auto r = check(a); !r) return r;
  for (const auto& [name, f] : plan.env)
    if (auto r = check(f); !r) return r;
  if (plan.cwd) return check(*plan.cwd);
  return {};
}

result<launch_plan> plan_wrap(const std::vector<std::string>& command, const environment& env,
                              const store_catalogue& stores, const template_env_filter& filter,
                              bool lenient) {
  if (command.empty() || command[0].empty())
    return fail(errc::usage, "no command: write mcp-launch [OPTIONS] -- COMMAND [ARG...]");
  launch_plan plan;
  plan.label = command[0];
  auto cmd = make_field(command[0], "command", stores, nullptr, lenient);
  if (!cmd) return std::move(cmd).err();
  plan.command = std::move(*cmd);
  for (std::size_t i = 1; i < command.size(); ++i) {
    auto a = make_field(command[i], "argument " + std::to_string(i), stores, nullptr, lenient);
    if (!a) return std::move(a).err();
    plan.args.push_back(std::move(*a));
  }
  auto e = environment_fields(env, stores, &filter, lenient);
  if (!e) return std::move(e).err();
  plan.env = std::move(*e);
  return plan;
}

result<launch_plan> plan_server(const server_def& def, const environment& env,
                                const store_catalogue& stores, bool lenient) {
  if (def.remote) return plan_remote(def, env, stores, lenient);
  launch_plan plan;
  plan.label = def.name;
  plan.from_definition = true;
  if (!def.command || def.command->value.empty())
    return fail(errc::config, def.where + ": empty command: nothing to start");
  auto cmd = make_field(def.command->value, def.command->where, stores, &env, lenient);
  if (!cmd) return std::move(cmd).err();
  plan.command = std::move(*cmd);
  for (const auto& a : def.args) {
    auto f = make_field(a.value, a.where, stores, &env, lenient);
    if (!f) return std::move(f).err();
    plan.args.push_back(std::move(*f));
  }
  auto e = environment_fields(env, stores, nullptr, lenient);
  if (!e) return std::move(e).err();
  plan.env = std::move(*e);
  for (const auto& entry : def.env) {
    const std::string& name = entry.first;  // not a structured binding: clang 14 cannot capture one
    const located& value = entry.second;
    auto f = make_field(value.value, value.where, stores, &env, lenient);
    if (!f) return std::move(f).err();
    std::erase_if(plan.env, [&](const auto& kv) { return kv.first == name; });
    plan.env.emplace_back(name, std::move(*f));
  }
  if (def.cwd) {
    auto f = make_field(def.cwd->value, def.cwd->where, stores, &env, lenient);
    if (!f) return std::move(f).err();
    plan.cwd = std::move(*f);
  }
  return plan;
}

result<launch_plan> make_plan(const options& o, const config& cfg, const environment& env,
                              const store_catalogue& stores, bool lenient) {
  if (!o.server.empty() && !o.command.empty())
    return fail(errc::usage, "give either --server NAME or -- COMMAND, not both");
  if (!o.url.empty()) return plan_remote_options(o, stores, lenient);
  if (!o.server.empty()) {
    if (auto skipped = cfg.skipped.find(o.server); skipped != cfg.skipped.end())
      return fail(errc::config, skipped->second);
    auto it = cfg.servers.find(o.server);
    if (it == cfg.servers.end()) {
      std::string known;
      for (const auto& [name, def] : cfg.servers) known += (known.empty() ? "" : ", ") + name;
      std::string files;
      for (const auto& f : cfg.files) files += (files.empty() ? "" : ", ") + f;
      return fail(errc::config, "unknown server '" + o.server + "' (" +
                                    (files.empty() ? "no config file was loaded"
                                                   : "servers in " + files + ": " +
                                                         (known.empty() ? "none" : known)) +
                                    ")");
    }
    for (const auto& note : it->second.notes) log::warn(note);
    auto plan = plan_server(it->second, env, stores, lenient);
    if (!plan) return plan;
    if (auto r = apply_remote_options(o, stores, *plan, lenient); !r) return r.err();
    return plan;
  }
  if (!o.headers.empty() || !o.transport.empty())
    return fail(errc::usage, "--header and --transport are for a remote server: give --url URL");
  return plan_wrap(o.command, env, stores, o.template_env, lenient);
}

}  // namespace mcpl
