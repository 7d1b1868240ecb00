#include "resolver/reference.hpp"

#include <gtest/gtest.h>

namespace mcpl {
namespace {

reference only_ref(std::string_view text) {
  auto t = parse_template(text);
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.err().message);
  EXPECT_EQ(t->segments.size(), 1u);
  return *t->segments.at(0).ref;
}

std::string parse_error(std::string_view text) {
  auto t = parse_template(text);
  EXPECT_FALSE(t.ok()) << text;
  if (t.ok()) return "";
  EXPECT_EQ(t.err().code, errc::config);
  return t.err().message;
}

TEST(Reference, MappingAndRawIdentifier) {
  auto r = only_ref("{{ secrets.vault.github }}");
  EXPECT_EQ(r.kind, ref_kind::secrets);
  EXPECT_EQ(r.store, "vault");
  EXPECT_EQ(r.mapping, "github");
  EXPECT_EQ(r.identifier, "");
  EXPECT_FALSE(r.as_file);
  EXPECT_EQ(r.text, "{{ secrets.vault.github }}");
  EXPECT_EQ(r.column, 1u);

  auto raw = only_ref("{{secrets.aws.[arn:aws:secretsmanager:eu-west-1:1:secret:x#/a/b]}}");
  EXPECT_EQ(raw.store, "aws");
  EXPECT_EQ(raw.mapping, "");
  EXPECT_EQ(raw.identifier, "arn:aws:secretsmanager:eu-west-1:1:secret:x#/a/b");
}

TEST(Reference, EnvFileAndPipe) {
  auto e = only_ref("{{ env.HOME }}");
  EXPECT_EQ(e.kind, ref_kind::env);
  EXPECT_EQ(e.identifier, "HOME");
  auto f = only_ref("{{  file.[/run/secrets/key with space]   |   file  }}");
  EXPECT_EQ(f.kind, ref_kind::file);
  EXPECT_EQ(f.identifier, "/run/secrets/key with space");
  EXPECT_TRUE(f.as_file);
  auto p = only_ref("{{secrets.gcp.[sa-key]|file}}");
  EXPECT_TRUE(p.as_file);
}

TEST(Reference, LiteralsAroundAndColumns) {
  auto t = parse_template("Bearer {{ secrets.v.tok }} and {{ env.X }}!");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->segments.size(), 5u);
  EXPECT_EQ(t->segments[0].literal, "Bearer ");
  EXPECT_EQ(t->segments[1].ref->column, 8u);
  EXPECT_EQ(t->segments[2].literal, " and ");
  EXPECT_EQ(t->segments[3].ref->identifier, "X");
  EXPECT_EQ(t->segments[4].literal, "!");
}

TEST(Reference, OtherTemplatesPassThrough) {
  for (std::string_view text :
       {"{{ .Values.token }}", "{{ secrets }}", "{{secretsX.a.b}}", "{{ environment }}",
        "{{ input.x }}", "{{", "}}", "{{{{", "a {{ b }} c", "{{ filex.[a] }}", ""}) {
    auto t = parse_template(text);
    ASSERT_TRUE(t.ok()) << text;
    EXPECT_FALSE(t->has_references()) << text;
    std::string joined;
    for (const auto& s : t->segments) joined += s.literal;
    EXPECT_EQ(joined, text);
  }
}

TEST(Reference, Errors) {
  EXPECT_EQ(parse_error("{{ secrets.vault.github"), "column 24: no closing '}}'");
  EXPECT_EQ(parse_error("x {{ secrets.vault.[abc }}"),
            "column 20: unterminated '[': no closing ']'");
  EXPECT_EQ(parse_error("{{ secrets.vault.[] }}"), "column 19: empty identifier '[]'");
  EXPECT_EQ(parse_error("{{ secrets..x }}"), "column 12: expected a store name after 'secrets.'");
  EXPECT_EQ(parse_error("{{ secrets.vault }}"),
            "column 17: expected '.' and a mapping name or [identifier] after the store name");
  EXPECT_EQ(parse_error("{{ secrets.vault. }}"),
            "column 18: expected a mapping name or [identifier]");
  EXPECT_EQ(parse_error("{{ env. }}"), "column 8: expected a variable name or [identifier]");
  EXPECT_EQ(parse_error("{{ file.[x] | base64 }}"),
            "column 15: unknown filter: the filters are '| trim' and '| file'");
  EXPECT_EQ(parse_error("{{ file.[x] | file | trim }}"),
            "column 22: '| trim' comes after '| file', which must be last");
  EXPECT_EQ(parse_error("{{ file.[x] | trim|trim }}"), "column 20: '| trim' is given twice");
  EXPECT_EQ(parse_error("{{ env.A B }}"), "column 10: unexpected 'B', expected '}}'");
  EXPECT_EQ(parse_error("{{ env.A } }"), "column 10: unexpected '}', expected '}}'");
}

TEST(Reference, SingleReferenceForRead) {
  auto a = parse_single_reference("secrets.vault.github");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->mapping, "github");
  auto b = parse_single_reference("{{ env.HOME }}");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->identifier, "HOME");
  auto c = parse_single_reference("vault.github");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.err().code, errc::config);  // a bad reference is a configuration error (78)
  auto d = parse_single_reference("{{ env.A }}{{ env.B }}");
  ASSERT_FALSE(d.ok());
  // Columns count in the text as typed, braces or not.
  EXPECT_EQ(parse_single_reference("secrets.vault.[abc").err().message,
            "'secrets.vault.[abc': column 15: unterminated '[': no closing ']'");
  EXPECT_EQ(parse_single_reference("{{ secrets.vault.[abc }}").err().message,
            "'{{ secrets.vault.[abc }}': column 18: unterminated '[': no closing ']'");
}

TEST(Reference, Filters) {
  auto t = parse_template("{{ file.[k] | trim | file }}{{ env.A|trim }}{{ env.B | file }}");
  ASSERT_TRUE(t.ok()) << t.err().message;
  ASSERT_EQ(t->segments.size(), 3u);
  EXPECT_TRUE(t->segments[0].ref->trim && t->segments[0].ref->as_file);
  EXPECT_TRUE(t->segments[1].ref->trim && !t->segments[1].ref->as_file);
  EXPECT_TRUE(!t->segments[2].ref->trim && t->segments[2].ref->as_file);
}

}  // namespace
}  // namespace mcpl
