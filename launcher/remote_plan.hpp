// Remote servers as plans (DESIGN §9): a definition's `url`, `headers` and `oauth`, or the
// `--url`/`--header` options, as templates; and the URL rendered with its references
// percent-encoded where they stand.
#pragma once

#include <string>
#include <vector>

#include "launcher/config.hpp"
#include "launcher/options.hpp"
#include "launcher/plan.hpp"

namespace mcpl {

/// A remote definition's plan: host variables (`${…}`) are expanded in the literal text of
/// the URL and the headers. Fails with errc::config naming the field.
result<launch_plan> plan_remote(const server_def& def, const environment& env,
                                const store_catalogue& stores, bool lenient = false);

/// `--url URL --header 'NAME: VALUE'...`: references allowed, no host variables (the shell
/// has expanded them). Fails with errc::usage for a header without a name or colon.
result<launch_plan> plan_remote_options(const options& o, const store_catalogue& stores,
                                        bool lenient = false);

/// Adds `--header`s to a remote plan (after its own) and applies `--transport`.
result<void> apply_remote_options(const options& o, const store_catalogue& stores,
                                  launch_plan& plan, bool lenient = false);

/// The URL with `values` (one per reference, in order) inserted: a reference that is the
/// whole URL is taken as written; one in the path or the query is percent-encoded there
/// (a '/' too); one anywhere before the path (scheme, host, port) is refused. The result
/// must parse as an https URL, or http to a loopback address. Fails with errc::config naming
/// the field, never the URL (it may hold a secret).
result<std::string> render_url(const template_field& url, const std::vector<std::string>& values);

}  // namespace mcpl
