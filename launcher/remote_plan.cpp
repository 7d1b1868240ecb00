#include "launcher/remote_plan.hpp"

#include <algorithm>

#include "platform/http/url.hpp"

namespace mcpl {

namespace {

// RFC 9110 token characters: what a header name may hold.
bool is_header_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) !=
                                  std::string_view::npos;
  });
}

result<std::pair<std::string, template_field>> header_option(const std::string& text,
                                                              std::size_t index,
                                                              const store_catalogue& stores,
                                                              bool lenient) {
  std::string where = "--header " + std::to_string(index + 1);
  auto colon = text.find(':');
  std::string name = text.substr(0, colon);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  if (colon == std::string::npos || !is_header_name(name))
    return fail(errc::usage, where + ": write it as 'NAME: VALUE' (a header name is letters, "
                                     "digits and -)");
  std::string value = text.substr(colon + 1);
  value.erase(0, value.find_first_not_of(' '));
  auto f = make_field(value, where + " (" + name + ")", stores, nullptr, lenient);
  if (!f) return std::move(f).err();
  return std::pair{name, std::move(*f)};
}

// Where in a URL the text so far ends: before the path, in the path, or in the query.
enum class url_part { authority, path, query };

url_part part_after(std::string_view prefix) {
  if (prefix.find_first_of("?#") != std::string_view::npos) return url_part::query;
  auto scheme = prefix.find("://");
  if (scheme == std::string_view::npos) return url_part::authority;
  return prefix.find('/', scheme + 3) == std::string_view::npos ? url_part::authority
                                                                : url_part::path;
}

}  // namespace

result<launch_plan> plan_remote(const server_def& def, const environment& env,
                                const store_catalogue& stores, bool lenient) {
  launch_plan plan;
  plan.label = def.name;
  plan.from_definition = true;
  remote_target r;
  r.transport = def.transport;
  auto url = make_field(def.url->value, def.url->where, stores, &env, lenient);
  if (!url) return std::move(url).err();
  r.url = std::move(*url);
  for (const auto& [name, value] : def.headers) {
    if (!is_header_name(name))
      return fail(errc::config, value.where + ": '" + name + "' is not a header name");
    auto f = make_field(value.value, value.where, stores, &env, lenient);
    if (!f) return std::move(f).err();
    r.headers.emplace_back(name, std::move(*f));
  }
  if (def.oauth) {
    for (auto [from, to] : {std::pair{&def.oauth->client_id, &r.client_id},
                            {&def.oauth->client_secret, &r.client_secret},
                            {&def.oauth->private_key, &r.private_key}}) {
      if (!*from) continue;
      auto f = make_field((*from)->value, (*from)->where, stores, &env, lenient);
      if (!f) return std::move(f).err();
      *to = std::move(*f);
    }
    if (def.oauth->signing_algorithm) r.signing_algorithm = def.oauth->signing_algorithm->value;
    r.scopes = def.oauth->scopes;
  }
  plan.remote = std::move(r);
  return plan;
}

result<launch_plan> plan_remote_options(const options& o, const store_catalogue& stores,
                                        bool lenient) {
  launch_plan plan;
  auto url = make_field(o.url, "--url", stores, nullptr, lenient);
  if (!url) return std::move(url).err();
  plan.remote = remote_target{};
  plan.remote->url = std::move(*url);
  // The label names the server without anything a reference or query may hold.
  plan.label = "the remote server";
  if (auto parsed = parse_url(o.url); parsed && plan.remote->url.refs.empty())
    plan.label = parsed->origin();
  if (auto r = apply_remote_options(o, stores, plan, lenient); !r) return r.err();
  return plan;
}

result<void> apply_remote_options(const options& o, const store_catalogue& stores,
                                  launch_plan& plan, bool lenient) {
  if (!plan.remote) {
    if (!o.headers.empty() || !o.transport.empty())
      return fail(errc::usage, "--header and --transport are for a remote server (--url, or a "
                               "definition with \"url\")");
    return {};
  }
  for (std::size_t i = 0; i < o.headers.size(); ++i) {
    auto h = header_option(o.headers[i], i, stores, lenient);
    if (!h) return std::move(h).err();
    plan.remote->headers.push_back(std::move(*h));
  }
  if (!o.transport.empty()) plan.remote->transport = o.transport;
  return {};
}

result<std::string> render_url(const template_field& url, const std::vector<std::string>& values) {
  const auto& segments = url.parsed.segments;
  std::string out, literal;  // `literal`: the URL's own text so far, without inserted values
  std::size_t next = 0;
  for (const auto& seg : segments) {
    if (!seg.ref) {
      out += seg.literal;
      literal += seg.literal;
      continue;
    }
    const std::string& value = values.at(next++);
    if (segments.size() == 1) {
      out = value;
      break;
    }
    switch (part_after(literal)) {
      case url_part::authority:
        return fail(errc::config, url.where + ": " + seg.ref->text +
                                      ": a reference before the URL's path must be the whole "
                                      "URL");
      case url_part::path:
      case url_part::query:
        out += percent_encode(value);
        break;
    }
  }
  auto parsed = parse_url(out);
  if (!parsed)
    return fail(errc::config, url.where + ": " + parsed.err().message);
  if (parsed->scheme == "http" && !is_loopback_host(parsed->host))
    return fail(errc::config, url.where + ": a remote server needs https:// (plain http:// only "
                                          "to a loopback address)");
  return out;
}

}  // namespace mcpl
