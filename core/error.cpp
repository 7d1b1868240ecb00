#include "core/error.hpp"

namespace mcpl {

int exit_code(errc code) {
  switch (code) {
    case errc::usage:
      return 64;
    case errc::content:
      return 65;
    case errc::unavailable:
      return 69;
    case errc::internal:
      return 70;
    case errc::refused:
      return 77;
    case errc::config:
    case errc::not_found:
      return 78;
    case errc::cannot_execute:
      return 126;
    case errc::command_not_found:
      return 127;
  }
  return 70;
}

const char* describe(errc code) {
  switch (code) {
    case errc::usage:
      return "usage error";
    case errc::content:
      return "content does not fit";
    case errc::unavailable:
      return "unavailable";
    case errc::internal:
      return "internal error";
    case errc::refused:
      return "refused";
    case errc::config:
      return "configuration error";
    case errc::not_found:
      return "not found";
    case errc::cannot_execute:
      return "cannot execute";
    case errc::command_not_found:
      return "command not found";
  }
  return "internal error";
}

namespace {
// Higher wins. Internal errors first: they mean the result cannot be trusted at all.
int severity(errc code) {
  switch (code) {
    case errc::internal:
      return 9;
    case errc::usage:
      return 8;
    case errc::config:
      return 7;
    case errc::not_found:
      return 6;
    case errc::refused:
      return 5;
    case errc::content:
      return 4;
    case errc::cannot_execute:
      return 3;
    case errc::command_not_found:
      return 2;
    case errc::unavailable:
      return 1;
  }
  return 9;
}
}  // namespace

errc more_severe(errc a, errc b) { return severity(a) >= severity(b) ? a : b; }

}  // namespace mcpl
