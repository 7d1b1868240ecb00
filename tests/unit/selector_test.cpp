#include "resolver/selector.hpp"

#include <gtest/gtest.h>

#include "core/quoted.hpp"

namespace mcpl {
namespace {

// The document and pointers of RFC 6901 §5.
const char* kRfcDoc = R"({
  "foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5,
  "k\"l": 6, " ": 7, "m~n": 8 })";

TEST(Selector, Rfc6901Examples) {
  struct {
    const char* pointer;
    const char* expected;
  } cases[] = {{"/foo", R"(["bar","baz"])"},
               {"/foo/0", "bar"},
               {"/", "0"},
               {"/a~1b", "1"},
               {"/c%d", "2"},
               {"/e^f", "3"},
               {"/g|h", "4"},
               {"/i\\j", "5"},
               {"/k\"l", "6"},
               {"/ ", "7"},
               {"/m~0n", "8"}};
  for (const auto& c : cases) {
    auto r = apply_selector(kRfcDoc, c.pointer);
    ASSERT_TRUE(r.ok()) << c.pointer << ": " << r.err().message;
    EXPECT_EQ(*r, c.expected) << c.pointer;
  }
}

TEST(Selector, TopLevelKeyAndCompactJson) {
  std::string doc = R"({"token": "abc", "port": 5432, "tls": true, "nested": {"a": [1, 2]}})";
  EXPECT_EQ(*apply_selector(doc, "token"), "abc");
  EXPECT_EQ(*apply_selector(doc, "port"), "5432");
  EXPECT_EQ(*apply_selector(doc, "tls"), "true");
  EXPECT_EQ(*apply_selector(doc, "nested"), R"({"a":[1,2]})");
  EXPECT_EQ(*apply_selector(doc, "/nested/a/1"), "2");
}

TEST(Selector, FailuresNameKeysNeverValues) {
  std::string doc = R"({"user": "admin", "password": "hunter2-secret"})";
  auto missing = apply_selector(doc, "token");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.err().code, errc::content);
  EXPECT_EQ(shape_line(missing.err().message),
            "selector '#token': no key 'token' (keys: password, user)");
  EXPECT_EQ(missing.err().message.find("hunter2"), std::string::npos);

  auto not_json = apply_selector("plain text secret", "token");
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(shape_line(not_json.err().message), "selector '#token': the secret is not JSON");
  EXPECT_EQ(not_json.err().code, errc::content);

  EXPECT_FALSE(apply_selector(R"(["a"])", "key").ok());
  EXPECT_FALSE(apply_selector(R"({"a": [1]})", "/a/01").ok());
  EXPECT_FALSE(apply_selector(R"({"a": [1]})", "/a/1").ok());
  EXPECT_FALSE(apply_selector(R"({"a": [1]})", "/a/-").ok());
  EXPECT_FALSE(apply_selector(R"({"a": "x"})", "/a/b").ok());
  EXPECT_FALSE(apply_selector(R"({"a~": 1})", "/a~").ok());
}

TEST(Selector, Split) {
  auto s = split_selector("myapp/config?version=2#/db/password");
  EXPECT_EQ(s.fetch, "myapp/config?version=2");
  EXPECT_EQ(s.selector, "/db/password");
  EXPECT_TRUE(s.has_selector);
  auto n = split_selector("plain");
  EXPECT_EQ(n.fetch, "plain");
  EXPECT_FALSE(n.has_selector);
}

TEST(Selector, AnIndexTooLargeForAnyArrayIsPastTheEndNotACrash) {
  // std::stoull threw out_of_range here: an internal error (70) from a user's typo.
  auto huge = apply_selector("[1, 2]", "/99999999999999999999999999");
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.err().code, errc::content);
  EXPECT_NE(huge.err().message.find("past the end"), std::string::npos) << huge.err().message;
  EXPECT_EQ(*apply_selector("[1, 2]", "/1"), "2");
}

}  // namespace
}  // namespace mcpl
