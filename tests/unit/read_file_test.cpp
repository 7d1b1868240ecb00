// The file store's boundary (platform/read_file): a name may not leave its directory, through
// `..` resolution or a symbolic link, relative or absolute; links that stay inside are
// followed, as Kubernetes' secret volumes need. Both ways of opening are tested: openat2's
// RESOLVE_BENEATH, and the path check used where the kernel has no openat2.
#include "platform/read_file.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace mcpl {
namespace {

namespace fs = std::filesystem;

class Beneath : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "mcpl-beneath-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    dir_ = root_ + "/secrets";
    fs::create_directories(dir_ + "/sub");
    fs::create_directories(root_ + "/outside");
    write(dir_ + "/plain", "plain-value");
    write(dir_ + "/sub/nested", "nested-value");
    write(root_ + "/outside/secret", "outside-value");
    // Kubernetes: KEY -> ..data/KEY, ..data -> ..TIMESTAMP, the files in ..TIMESTAMP.
    fs::create_directories(dir_ + "/..2026_11_30_12_00_00.123456789");
    write(dir_ + "/..2026_11_30_12_00_00.123456789/token", "k8s-value");
    fs::create_directory_symlink("..2026_11_30_12_00_00.123456789", dir_ + "/..data");
    fs::create_symlink("..data/token", dir_ + "/token");
    fs::create_symlink("sub/nested", dir_ + "/inside");
    fs::create_symlink("../outside/secret", dir_ + "/escape2");
    fs::create_symlink(root_ + "/outside/secret", dir_ + "/escape");
    fs::create_symlink("sub/../../outside/secret", dir_ + "/escape3");
    fs::create_directory_symlink("../outside", dir_ + "/outdir");
  }
  void TearDown() override { fs::remove_all(root_); }

  static void write(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
  }
  result<std::string> read(const std::string& name) const {
    return GetParam() ? read_secret_file_beneath(dir_, name)
                      : detail::read_secret_file_beneath_by_path(dir_, name);
  }

  std::string root_, dir_;
};

TEST_P(Beneath, FilesAndLinksInsideAreRead) {
  EXPECT_EQ(*read("plain"), "plain-value");
  EXPECT_EQ(*read("sub/nested"), "nested-value");
  EXPECT_EQ(*read("inside"), "nested-value");
  EXPECT_EQ(*read("token"), "k8s-value");  // two relative links, through ..data
}

TEST_P(Beneath, LinksOutOfTheDirectoryAreRefused) {
  for (const char* name : {"escape", "escape2", "escape3", "outdir/secret"}) {
    auto r = read(name);
    ASSERT_FALSE(r.ok()) << name << " was read";
    EXPECT_EQ(r.err().code, errc::config) << name;
    EXPECT_EQ(r.err().message,
              dir_ + "/" + name + ": resolves to a file outside " + dir_ + " (a link)");
  }
}

TEST_P(Beneath, MissingIsNotFound) {
  EXPECT_EQ(read("none").err().code, errc::not_found);
  EXPECT_EQ(read("sub").err().code, errc::config);  // a directory
}

INSTANTIATE_TEST_SUITE_P(Ways, Beneath, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "openat2" : "by_path"; });

TEST(Beneath, AnAbsoluteLinkIsRefusedEvenToInsideWithOpenat2) {
  // RESOLVE_BENEATH refuses every absolute link: a name is resolved from the directory
  // alone, never from the root. (The path check accepts one that lands inside.)
  std::string tmpl = (fs::temp_directory_path() / "mcpl-beneath-XXXXXX").string();
  std::string dir = ::mkdtemp(tmpl.data());
  std::ofstream(dir + "/plain") << "v";
  fs::create_symlink(dir + "/plain", dir + "/absolute");
  EXPECT_EQ(read_secret_file_beneath(dir, "absolute").err().code, errc::config);
  EXPECT_EQ(*detail::read_secret_file_beneath_by_path(dir, "absolute"), "v");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mcpl
