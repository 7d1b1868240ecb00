// result<T>: a value or an `error`, for expected failures (STYLE: errors are values).
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "core/error.hpp"

namespace mcpl {

template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  result(error err) : state_(std::in_place_index<1>, std::move(err)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const error& err() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  error&& err() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, error> state_;
};

/// result<void>: success, or an error.
template <>
class [[nodiscard]] result<void> {
 public:
  result() = default;
  result(error err) : err_(std::move(err)), failed_(true) {}

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const error& err() const& {
    assert(failed_);
    return err_;
  }
  error&& err() && {
    assert(failed_);
    return std::move(err_);
  }

 private:
  error err_{errc::internal, {}};
  bool failed_ = false;
};

/// Shorthand for building a failed result: `return fail(errc::config, "...")`.
inline error fail(errc code, std::string message) { return error{code, std::move(message)}; }

}  // namespace mcpl
