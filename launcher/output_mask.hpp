// --mask (DESIGN §8): the child's stdout and stderr read by the launcher and written on with
// every resolved value replaced by `***`; a tail that may be the start of a value waits for
// the next read, at most 50 ms.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "resolver/masker.hpp"

namespace mcpl {

namespace asio = boost::asio;

class output_mask {
 public:
  explicit output_mask(asio::any_io_executor ex) : ex_(ex) {}

  /// The values to mask from now on (those of every child so far: a rotated-out value
  /// may still be printed).
  void add_values(const std::vector<std::string>& values);

  /// A pipe whose read end is pumped, masked, to `to_fd`; returns the write end for the
  /// child (the caller closes it once the child has it). Fails with errc::internal.
  result<int> pipe_to(int to_fd);

  /// True when every pipe has been read to its end (the child and anything it started
  /// have closed them): nothing it wrote is left to write.
  bool drained() const { return *open_ == 0; }

  /// Masks one whole line (the session relay's output).
  std::string line(std::string_view text);

 private:
  asio::any_io_executor ex_;
  std::vector<std::string> values_;
  std::shared_ptr<std::size_t> open_ = std::make_shared<std::size_t>(0);  // pipes being read
};

}  // namespace mcpl
