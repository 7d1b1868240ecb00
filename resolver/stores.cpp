#include "resolver/stores.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <set>

#include "core/suggest.hpp"
#include "providers/settings.hpp"
#include "resolver/selector.hpp"

namespace mcpl {

namespace {

using json = nlohmann::json;

constexpr std::array kStoreTypes = {"aws_secrets_manager",
                                    "gcp_secret_manager",
                                    "hashicorp_vault",
                                    "infisical",
                                    "azure_key_vault",
                                    "env",
                                    "file"};

// Collects every string of `value` that holds a reference.
result<void> collect_templates(const json& value, const json::json_pointer& where,
                               const std::string& field, const store_catalogue& catalogue,
                               const std::string& store, std::vector<config_template>& out) {
  if (value.is_string()) {
    auto parsed = parse_template(value.get_ref<const std::string&>());
    auto place = [&] { return "store '" + store + "': configuration." + field + ": "; };
    if (!parsed) return fail(errc::config, place() + parsed.err().message);
    if (!parsed->has_references()) return {};
    config_template t{where, field, std::move(*parsed), {}};
    for (const auto& seg : t.parsed.segments) {
      if (!seg.ref) continue;
      auto bound = catalogue.bind(*seg.ref);
      if (!bound)
        return fail(errc::config, place() + "column " + std::to_string(seg.ref->column) + ": " +
                                      bound.err().message);
      t.refs.push_back(std::move(*bound));
    }
    out.push_back(std::move(t));
    return {};
  }
  if (value.is_object()) {
    for (const auto& [k, v] : value.items()) {
      auto r = collect_templates(v, where / k, field.empty() ? k : field + "." + k, catalogue,
                                 store, out);
      if (!r) return r;
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      auto r = collect_templates(value[i], where / i, field + "[" + std::to_string(i) + "]",
                                 catalogue, store, out);
      if (!r) return r;
    }
  }
  return {};
}

// Why an identifier cannot be sent, before any request: a control character (anywhere), or
// a "." or ".." segment where the identifier becomes a URL's or a directory's path. AWS
// sends names in a JSON body, where dots are only dots; `file.[PATH]` takes any path.
std::optional<std::string> identifier_problem(const std::string& type, std::string_view id) {
  if (std::any_of(id.begin(), id.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    return "it holds a control character";
  if (type == kPathType || type == "aws_secrets_manager") return std::nullopt;
  return path_problem(id.substr(0, id.find('?')));  // a version qualifier is not a path
}

// ", did you mean 'x'?" when a known name is close to `word`.
std::string suggestion(const std::string& word, const std::vector<std::string>& known) {
  std::string guess = closest_name(word, known);
  return guess.empty() ? "" : " (did you mean '" + guess + "'?)";
}

store_spec builtin(const std::string& name, const std::string& type) {
  store_spec s;
  s.name = name;
  s.type = type;
  return s;
}

}  // namespace

std::vector<std::string> configuration_fields(const std::string& type, const std::string& where) {
  if (type == "hashicorp_vault" && where == "auth")
    return {"method", "roleId", "secretId", "role", "jwtFile", "mountPath"};
  if (!where.empty()) return {};
  if (type == "file") return {"directory"};
  std::vector<std::string> fields;
  if (type == "hashicorp_vault")
    fields = {"address", "token", "namespace", "mountPath", "auth", "caFile"};
  if (type == "infisical")
    fields = {"siteUrl",   "accessToken", "clientId",   "clientSecret",
              "projectId", "environment", "secretPath", "caFile"};
  if (type == "aws_secrets_manager")
    fields = {"region",     "accessKeyId", "secretAccessKey", "sessionToken", "profile", "roleArn",
              "externalId", "endpoint",    "stsEndpoint",     "ssoEndpoint",  "caFile"};
  if (type == "gcp_secret_manager")
    fields = {"projectId",
              "serviceAccountKey",
              "impersonateServiceAccount",
              "iamCredentialsEndpoint",
              "endpoint",
              "caFile"};
  if (type == "azure_key_vault")
    fields = {"vaultUrl",          "tenantId",
              "clientId",          "clientSecret",
              "clientCertificate", "clientCertificatePassword",
              "authorityHost",     "caFile",
              "trustVaultHost"};
  // Every network store's: connections open to its origin at once.
  if (!fields.empty()) fields.push_back("maxConnections");
  return fields;
}

bool is_known_store_type(const std::string& type) {
  return std::find(kStoreTypes.begin(), kStoreTypes.end(), type) != kStoreTypes.end();
}

std::string store_label(const std::string& store) {
  if (store == kEnvNamespace) return "env";
  if (store == kFileNamespace) return "file";
  return store;
}

result<store_catalogue> store_catalogue::make(std::vector<store_spec> stores) {
  store_catalogue cat;
  for (auto& s : stores) {
    if (!is_known_store_type(s.type)) {
      std::string types;
      for (const char* t : kStoreTypes) types += (types.empty() ? "" : ", ") + std::string(t);
      return fail(errc::config, s.origin + ": store '" + s.name + "': unknown type '" + s.type +
                                    "' (expected one of " + types + ")");
    }
    std::string name = s.name;
    cat.stores_[name] = std::move(s);
  }
  for (const char* implicit : {"env", "file"})
    if (!cat.stores_.count(implicit)) cat.stores_[implicit] = builtin(implicit, implicit);
  cat.stores_[kEnvNamespace] = builtin(kEnvNamespace, "env");
  cat.stores_[kFileNamespace] = builtin(kFileNamespace, kPathType);

  for (const auto& [name, spec] : cat.stores_) {
    std::vector<config_template> found;
    auto r = collect_templates(spec.configuration, json::json_pointer(), "", cat, name, found);
    if (!r)
      return fail(errc::config, (spec.origin.empty() ? "" : spec.origin + ": ") + r.err().message);
    if (!found.empty()) cat.templates_[name] = std::move(found);
  }

  // Stores resolve in dependency order, so a cycle can never be resolved.
  std::map<std::string, int> state;  // 0 new, 1 on the path, 2 done
  std::vector<std::string> path;
  std::function<result<void>(const std::string&)> visit =
      [&](const std::string& name) -> result<void> {
    if (state[name] == 2) return {};
    if (state[name] == 1) {
      auto from = std::find(path.begin(), path.end(), name);
      std::string cycle;
      for (auto it = from; it != path.end(); ++it) cycle += *it + " -> ";
      return fail(errc::config,
                  "secret stores form a cycle through their configurations: " + cycle + name);
    }
    state[name] = 1;
    path.push_back(name);
    for (const auto& t : cat.config_templates(name))
      for (const auto& ref : t.refs) {
        auto r = visit(ref.store);
        if (!r) return r;
      }
    path.pop_back();
    state[name] = 2;
    return {};
  };
  for (const auto& [name, spec] : cat.stores_) {
    auto r = visit(name);
    if (!r) return std::move(r).err();
  }
  return cat;
}

result<bound_reference> store_catalogue::bind(const reference& ref) const {
  bound_reference b;
  b.text = ref.text;
  b.as_file = ref.as_file;
  b.trim = ref.trim;
  b.kind = ref.kind;
  std::string identifier = ref.identifier;
  switch (ref.kind) {
    case ref_kind::env:
      b.store = kEnvNamespace;
      break;
    case ref_kind::file:
      b.store = kFileNamespace;
      break;
    case ref_kind::secrets: {
      auto it = stores_.find(ref.store);
      if (it == stores_.end() || ref.store == kEnvNamespace || ref.store == kFileNamespace) {
        std::vector<std::string> names;
        for (const auto& [name, spec] : stores_)
          if (name != kEnvNamespace && name != kFileNamespace) names.push_back(name);
        return fail(errc::config, "unknown store '" + ref.store + "'" +
                                      suggestion(ref.store, names) +
                                      " (stores: " + name_list(names) + ")");
      }
      b.store = ref.store;
      if (!ref.mapping.empty()) {
        auto m = it->second.mappings.find(ref.mapping);
        bool local = it->second.type == "env" || it->second.type == "file";
        if (m != it->second.mappings.end())
          identifier = m->second;
        else if (local)  // a variable or file name is its own mapping: secrets.file.token
          identifier = ref.mapping;
        else {
          std::vector<std::string> names;
          for (const auto& [name, id] : it->second.mappings) names.push_back(name);
          return fail(errc::config, "store '" + ref.store + "' has no mapping '" + ref.mapping +
                                        "'" + suggestion(ref.mapping, names) + " (mappings: " +
                                        name_list(names) + "; or name a secret as [IDENTIFIER])");
        }
      }
      break;
    }
  }
  auto split = split_selector(identifier);
  if (split.fetch.empty()) return fail(errc::config, "empty identifier in " + ref.text);
  if (split.has_selector && split.selector.empty())
    return fail(errc::config, "empty selector after '#' in " + ref.text);
  const store_spec& spec = stores_.at(b.store);
  if (auto why = identifier_problem(spec.type, split.fetch))
    return fail(errc::config, "identifier '" + split.fetch + "' of " + ref.text + ": " + *why);
  b.fetch_id = std::move(split.fetch);
  b.selector = std::move(split.selector);
  b.has_selector = split.has_selector;
  return b;
}

const store_spec* store_catalogue::find(const std::string& name) const {
  auto it = stores_.find(name);
  return it == stores_.end() ? nullptr : &it->second;
}

const std::vector<config_template>& store_catalogue::config_templates(
    const std::string& name) const {
  static const std::vector<config_template> none;
  auto it = templates_.find(name);
  return it == templates_.end() ? none : it->second;
}

}  // namespace mcpl
