// Suppressions files: parsing, clear errors, and matching reports.
#include "report/suppressions.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "report/report_samples.hpp"

namespace racelens::report {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(std::string_view text) {
  try {
    Suppressions::Parse(text, "racelens.supp");
  } catch (const SuppressionsError& e) {
    return e.what();
  }
  return "(no error)";
}

constexpr const char* kAllowed =
    "; each line must be 'kind:glob' where kind is one of data-race, event-race, "
    "lock-order-inversion, deadlock, misuse or '*', a '#' comment, or blank.";

TEST(SuppressionsTest, EmptySuppressesNothing) {
  EXPECT_FALSE(Suppressions().Suppressed(samples::DataRace()));
  EXPECT_EQ(Suppressions::Parse("", "x").size(), 0u);
}

TEST(SuppressionsTest, ParsesRulesCommentsAndBlankLines) {
  const Suppressions suppressions = Suppressions::Parse(
      "# third-party code\n"
      "\n"
      "   \t\n"
      "  # indented comment\n"
      "data-race:*vendor/*\n"
      " misuse : worker() \r\n"
      "*:legacy_*",
      "x");
  EXPECT_EQ(suppressions.size(), 3u);
}

TEST(SuppressionsTest, MatchesFunctionOrFileOfAnyAccessFrame) {
  EXPECT_TRUE(Suppressions::Parse("data-race:getlock*", "x").Suppressed(samples::DataRace()));
  EXPECT_TRUE(Suppressions::Parse("data-race:worker(int)", "x").Suppressed(samples::DataRace()));
  EXPECT_TRUE(
      Suppressions::Parse("data-race:*/nolock_counter.cpp", "x").Suppressed(samples::DataRace()));
  EXPECT_TRUE(Suppressions::Parse("data-race:samples/*", "x").Suppressed(samples::DataRace()));
}

TEST(SuppressionsTest, GlobMustMatchTheWholeName) {
  EXPECT_FALSE(Suppressions::Parse("data-race:getlock", "x").Suppressed(samples::DataRace()));
  EXPECT_FALSE(
      Suppressions::Parse("data-race:nolock_counter.cpp", "x").Suppressed(samples::DataRace()));
}

TEST(SuppressionsTest, KindMustMatchUnlessStar) {
  EXPECT_FALSE(Suppressions::Parse("event-race:getlock*", "x").Suppressed(samples::DataRace()));
  EXPECT_TRUE(Suppressions::Parse("*:getlock*", "x").Suppressed(samples::DataRace()));
  EXPECT_TRUE(Suppressions::Parse("event-race:consumer()", "x").Suppressed(samples::EventRace()));
  EXPECT_TRUE(Suppressions::Parse("misuse:worker()", "x").Suppressed(samples::Misuse()));
  EXPECT_TRUE(
      Suppressions::Parse("deadlock:*queue_join.cpp", "x").Suppressed(samples::StuckDeadlock()));
}

TEST(SuppressionsTest, MatchesLockOrderEdgeStacks) {
  EXPECT_TRUE(Suppressions::Parse("lock-order-inversion:second()", "x")
                  .Suppressed(samples::LockOrderInversion()));
  EXPECT_FALSE(Suppressions::Parse("lock-order-inversion:third()", "x")
                   .Suppressed(samples::LockOrderInversion()));
}

TEST(SuppressionsTest, ThreadCreationStacksAreNotSearched) {
  // Every thread is created from main: a "main" rule must not hide every report.
  EXPECT_FALSE(Suppressions::Parse("*:main", "x").Suppressed(samples::DataRace()));
  EXPECT_TRUE(Suppressions::Parse("*:main", "x").Suppressed(samples::StuckDeadlock()));
}

TEST(SuppressionsTest, GlobsMayContainColonsAndCharacterClasses) {
  Report report = samples::Misuse();
  report.accesses[0].stack[0].function = "app::Worker::run()";
  EXPECT_TRUE(Suppressions::Parse("misuse:app::Worker::*", "x").Suppressed(report));
  EXPECT_TRUE(Suppressions::Parse("misuse:app::[VW]orker::run()", "x").Suppressed(report));
  EXPECT_FALSE(Suppressions::Parse("misuse:app::?orker", "x").Suppressed(report));
}

TEST(SuppressionsTest, EmptyFunctionsAndFilesNeverMatch) {
  EXPECT_FALSE(Suppressions::Parse("*:*", "x").Suppressed([] {
    Report report = samples::Unusual();
    report.accesses[0].stack = {samples::At("", "", 0, 0x10)};
    return report;
  }()));
  EXPECT_TRUE(Suppressions::Parse("*:*", "x").Suppressed(samples::DataRace()));
}

TEST(SuppressionsTest, MalformedLinesNameFileLineProblemAndTheRule) {
  EXPECT_EQ(ErrorOf("# ok\ndata-race"),
            std::string("racelens: suppressions file 'racelens.supp', line 2: 'data-race' has no "
                        "':'") +
                kAllowed);
  EXPECT_EQ(ErrorOf("race:foo"),
            std::string("racelens: suppressions file 'racelens.supp', line 1: 'race:foo' names an "
                        "unknown report kind 'race'") +
                kAllowed);
  EXPECT_EQ(ErrorOf("\n\n:foo"),
            std::string("racelens: suppressions file 'racelens.supp', line 3: ':foo' has no kind "
                        "before the ':'") +
                kAllowed);
  EXPECT_EQ(ErrorOf("misuse:  "),
            std::string("racelens: suppressions file 'racelens.supp', line 1: 'misuse:' has no "
                        "glob after the ':'") +
                kAllowed);
}

class SuppressionsFileTest : public ::testing::Test {
 protected:
  std::filesystem::path Write(const std::string& text) {
    std::ofstream(path_, std::ios::binary) << text;
    return path_;
  }
  void TearDown() override { std::filesystem::remove(path_); }

  std::filesystem::path path_ = std::filesystem::path(::testing::TempDir()) /
                                ("racelens-supp-" + std::to_string(::getpid()) + ".txt");
};

TEST_F(SuppressionsFileTest, LoadsAFile) {
  const Suppressions suppressions = Suppressions::Load(Write("data-race:getlock*\n").string());
  EXPECT_EQ(suppressions.size(), 1u);
  EXPECT_TRUE(suppressions.Suppressed(samples::DataRace()));
}

TEST_F(SuppressionsFileTest, ErrorsNameTheFile) {
  const std::string path = Write("ok:x\n").string();
  try {
    Suppressions::Load(path);
    FAIL() << "no error";
  } catch (const SuppressionsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("suppressions file '" + path + "', line 1:"));
  }
}

TEST(SuppressionsLoadTest, UnreadableFileIsAClearError) {
  try {
    Suppressions::Load("/nonexistent/racelens.supp");
    FAIL() << "no error";
  } catch (const SuppressionsError& e) {
    EXPECT_STREQ(e.what(),
                 "racelens: cannot read the suppressions file '/nonexistent/racelens.supp' (No "
                 "such file or directory); the option suppressions= must name a readable text "
                 "file.");
  }
}

TEST(SuppressionsLoadTest, ADirectoryIsAClearError) {
  try {
    Suppressions::Load("/");
    FAIL() << "no error";
  } catch (const SuppressionsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot read the suppressions file '/' (Is a directory)"));
  }
}

}  // namespace
}  // namespace racelens::report
