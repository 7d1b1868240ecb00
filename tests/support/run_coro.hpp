// Runs one coroutine to completion on an io_context, for unit tests.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>

namespace mcpl::testing {

/// The value of `task` once the io_context has run it; rethrows what it threw.
template <class T>
T run_coro(boost::asio::io_context& io, boost::asio::awaitable<T> task) {
  std::optional<T> out;  // T need not be default-constructible, as co_spawn's handler wants
  auto keep = [](std::optional<T>& out,
                 boost::asio::awaitable<T> task) -> boost::asio::awaitable<void> {
    out.emplace(co_await std::move(task));
  };
  std::exception_ptr failure;
  boost::asio::co_spawn(io, keep(out, std::move(task)), [&](std::exception_ptr e) { failure = e; });
  io.restart();
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

}  // namespace mcpl::testing
