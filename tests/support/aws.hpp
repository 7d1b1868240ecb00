// The AWS shared files as the unit tests give them to the settings: a config file's and a
// credentials file's text under a home of /h.
#pragma once

#include <string>

#include "providers/aws/shared_files.hpp"

namespace mcpl::test {

inline aws_shared_files aws_files(std::string config, std::string credentials = "") {
  return {"/h/.aws/config", std::move(config), "/h/.aws/credentials", std::move(credentials),
          "/h/.aws/sso/cache"};
}

}  // namespace mcpl::test
