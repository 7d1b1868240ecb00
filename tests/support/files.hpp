// Reading a whole file in a test (fixtures, test vectors, strace logs).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace mcpl::test {

/// The bytes of the file at `path`; "" when it cannot be read.
inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace mcpl::test
