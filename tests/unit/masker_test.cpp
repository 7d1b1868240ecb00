// --mask's stream masker: plain and JSON-escaped values, values split across reads at every
// position, whole lines never held, a held tail flushed.
#include "resolver/masker.hpp"

#include <gtest/gtest.h>

namespace mcpl {
namespace {

TEST(Masker, PlainAndJsonEscapedValues) {
  stream_masker m({"s3cr\"et/x", "abc"});  // "abc" is shorter than four bytes: not masked
  EXPECT_EQ(m.feed("key=s3cr\"et/x abc\n"), "key=*** abc\n");
  EXPECT_EQ(m.feed(R"({"result":"s3cr\"et/x"})" "\n"), R"({"result":"***"})" "\n");
}

TEST(Masker, AValueSplitAnywhereIsMaskedAndLinesAreNotHeld) {
  const std::string secret = "ghp_0123456789abcdef";
  const std::string line = "token " + secret + " in a line\n";
  for (std::size_t cut = 0; cut <= line.size(); ++cut) {
    stream_masker m({secret});
    std::string out = m.feed(line.substr(0, cut));
    out += m.feed(line.substr(cut));
    EXPECT_FALSE(m.holding());
    EXPECT_EQ(out, "token *** in a line\n") << cut;
  }
  stream_masker m({secret});
  EXPECT_EQ(m.feed("partial ghp_01"), "partial ");  // the tail could be the value: held
  EXPECT_TRUE(m.holding());
  EXPECT_EQ(m.flush(), "ghp_01");  // it was not: given back as it is
  EXPECT_EQ(m.feed("no value here"), "no value here");
  EXPECT_FALSE(m.holding());
}

TEST(Masker, AValueOfSeveralLinesIsCaughtAcrossTheLineEnd) {
  const std::string pem = "-----BEGIN KEY-----\nMIIEabc\n-----END KEY-----";
  stream_masker m({pem});
  std::string out = m.feed("key: -----BEGIN KEY-----\n");  // found by fuzz_mask
  EXPECT_TRUE(m.holding());
  out += m.feed("MIIEabc\n-----END KEY-----\n");
  EXPECT_EQ(out, "key: ***\n");
}

TEST(Masker, OverlappingValuesDoNotLetOneThrough) {
  stream_masker m({"SECRET", "ETSxyz"});
  std::string out = m.feed("..SECRETS");
  out += m.feed("xyz\n");
  EXPECT_EQ(out.find("SECR"), std::string::npos) << out;
}

}  // namespace
}  // namespace mcpl
