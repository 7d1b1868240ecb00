// The launcher's version: the project's, and the git commit it was built from when built
// from a checkout (generated at build time, cmake/version.cmake).
#pragma once

namespace mcpl {

/// "0.1.0": the release, as packages and MCP's clientInfo give it.
extern const char* const project_version;
/// "0.1.0 (commit 1a2b3c4d5e6f)", or "0.1.0" when not built from a checkout.
extern const char* const version_text;

}  // namespace mcpl
