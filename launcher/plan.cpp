#include "launcher/plan.hpp"

namespace mcpl {

namespace {

// Parses `text`, expands host variables in its literal runs when asked, binds references.
result<template_field> make_field(const std::string& text, std::string where,
                                  const store_catalogue& stores, const environment* host_env) {
  auto parsed = parse_template(text);
  if (!parsed) return fail(errc::config, where + ": " + parsed.err().message);
  template_field f{std::move(where), std::move(*parsed), {}};
  for (auto& seg : f.parsed.segments) {
    if (!seg.ref) {
      if (host_env) {
        auto expanded = expand_host_variables(seg.literal, *host_env);
        if (!expanded) return fail(errc::config, f.where + ": " + expanded.err().message);
        seg.literal = std::move(*expanded);
      }
      continue;
    }
    auto bound = stores.bind(*seg.ref);
    if (!bound)
      return fail(errc::config, f.where + ": column " + std::to_string(seg.ref->column) + ": " +
                                    bound.err().message);
    f.refs.push_back(std::move(*bound));
  }
  return f;
}

// The launcher's own environment, as templates: an MCP client's "env" block arrives here.
result<std::vector<std::pair<std::string, template_field>>> environment_fields(
    const environment& env, const store_catalogue& stores) {
  std::vector<std::pair<std::string, template_field>> out;
  for (const auto& [name, value] : env) {
    auto f = make_field(value, "environment variable " + name, stores, nullptr);
    if (!f) return std::move(f).err();
    out.emplace_back(name, std::move(*f));
  }
  return out;
}

}  // namespace

std::vector<bound_reference> launch_plan::all_references() const {
  std::vector<bound_reference> out;
  auto add = [&](const template_field& f) { out.insert(out.end(), f.refs.begin(), f.refs.end()); };
  add(command);
  for (const auto& a : args) add(a);
  for (const auto& [name, f] : env) add(f);
  if (cwd) add(*cwd);
  return out;
}

bool launch_plan::references_in_argv() const {
  if (!command.refs.empty()) return true;
  for (const auto& a : args)
    if (!a.refs.empty()) return true;
  return false;
}

result<launch_plan> plan_wrap(const std::vector<std::string>& command, const environment& env,
                              const store_catalogue& stores) {
  if (command.empty() || command[0].empty())
    return fail(errc::usage, "no command: write mcp-launch [OPTIONS] -- COMMAND [ARG...]");
  launch_plan plan;
  plan.label = command[0];
  auto cmd = make_field(command[0], "command", stores, nullptr);
  if (!cmd) return std::move(cmd).err();
  plan.command = std::move(*cmd);
  for (std::size_t i = 1; i < command.size(); ++i) {
    auto a = make_field(command[i], "argument " + std::to_string(i), stores, nullptr);
    if (!a) return std::move(a).err();
    plan.args.push_back(std::move(*a));
  }
  auto e = environment_fields(env, stores);
  if (!e) return std::move(e).err();
  plan.env = std::move(*e);
  return plan;
}

result<launch_plan> plan_server(const server_def& def, const environment& env,
                                const store_catalogue& stores) {
  if (def.remote)
    return fail(errc::config, def.where + ": '" + def.name +
                                  "' is a remote (url) server; the stdio bridge to remote servers "
                                  "is not supported yet");
  launch_plan plan;
  plan.label = def.name;
  if (!def.command || def.command->value.empty())
    return fail(errc::config, def.where + ": empty command: nothing to start");
  auto cmd = make_field(def.command->value, def.command->where, stores, &env);
  if (!cmd) return std::move(cmd).err();
  plan.command = std::move(*cmd);
  for (const auto& a : def.args) {
    auto f = make_field(a.value, a.where, stores, &env);
    if (!f) return std::move(f).err();
    plan.args.push_back(std::move(*f));
  }
  auto e = environment_fields(env, stores);
  if (!e) return std::move(e).err();
  plan.env = std::move(*e);
  for (const auto& entry : def.env) {
    const std::string& name = entry.first;  // not a structured binding: clang 14 cannot capture one
    const located& value = entry.second;
    auto f = make_field(value.value, value.where, stores, &env);
    if (!f) return std::move(f).err();
    std::erase_if(plan.env, [&](const auto& kv) { return kv.first == name; });
    plan.env.emplace_back(name, std::move(*f));
  }
  if (def.cwd) {
    auto f = make_field(def.cwd->value, def.cwd->where, stores, &env);
    if (!f) return std::move(f).err();
    plan.cwd = std::move(*f);
  }
  return plan;
}

result<launch_plan> make_plan(const options& o, const config& cfg, const environment& env,
                              const store_catalogue& stores) {
  if (!o.server.empty() && !o.command.empty())
    return fail(errc::usage, "give either --server NAME or -- COMMAND, not both");
  if (!o.server.empty()) {
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
    return plan_server(it->second, env, stores);
  }
  return plan_wrap(o.command, env, stores);
}

}  // namespace mcpl
