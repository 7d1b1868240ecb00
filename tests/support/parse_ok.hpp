// Parses a config document that a test expects to be valid ("cfg.json" in messages).
#pragma once

#include <gtest/gtest.h>

#include "launcher/config.hpp"

namespace mcpl::testing {

inline config parse_ok(std::string_view text) {
  auto c = parse_config(text, "cfg.json");
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.err().message);
  return c.ok() ? std::move(c).value() : config{};
}

}  // namespace mcpl::testing
