// RACELENS_OPTIONS: parsing, validation, and the start-up error for bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "racelens/lock.hpp"
#include "runtime/options.hpp"

namespace racelens::detail {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(std::string_view text) {
  try {
    ParseOptions(text);
  } catch (const OptionsError& e) {
    return e.what();
  }
  return "";
}

TEST(OptionsTest, DefaultsDetectOn) { EXPECT_TRUE(ParseOptions("").detect); }

TEST(OptionsTest, ParsesDetect) {
  EXPECT_FALSE(ParseOptions("detect=0").detect);
  EXPECT_TRUE(ParseOptions("detect=0:detect=1").detect);
  EXPECT_FALSE(ParseOptions(":detect=0:").detect);
}

TEST(OptionsTest, UnknownKeyNamesTheKeyAndListsTheOptions) {
  const std::string error = ErrorOf("detect=1:colour=red");
  EXPECT_THAT(error, HasSubstr("unknown option 'colour'"));
  EXPECT_THAT(error, HasSubstr("detect, report_path, format"));
}

TEST(OptionsTest, BadValueNamesTheKeyAndTheAllowedValues) {
  EXPECT_THAT(ErrorOf("detect=yes"), HasSubstr("option 'detect' must be 0 or 1, not 'yes'"));
}

TEST(OptionsTest, MalformedEntryIsAnError) {
  EXPECT_THAT(ErrorOf("detect"), HasSubstr("'detect' is not of the form key=value"));
  EXPECT_THAT(ErrorOf("=1"), HasSubstr("is not of the form key=value"));
}

TEST(OptionsTest, ScheduleIsOsRandomOrPct) {
  EXPECT_EQ(ParseOptions("schedule=random:seed=3").schedule, "random");
  EXPECT_EQ(ParseOptions("schedule=random:seed=3").seed, 3U);
  EXPECT_EQ(ParseOptions("schedule=pct").schedule, "pct");
  EXPECT_EQ(ParseOptions("schedule=os").schedule, "os");
  EXPECT_THAT(ErrorOf("schedule=fifo"), HasSubstr("must be one of os, random, pct, not 'fifo'"));
}

TEST(OptionsTest, PctDepthAndStepsArePositiveIntegersInRange) {
  EXPECT_EQ(ParseOptions("").pct_depth, 3);
  EXPECT_EQ(ParseOptions("").pct_steps, 100);
  EXPECT_EQ(ParseOptions("schedule=pct:pct_depth=1:pct_steps=1").pct_depth, 1);
  EXPECT_EQ(ParseOptions("pct_depth=10").pct_depth, 10);
  EXPECT_EQ(ParseOptions("pct_steps=50000").pct_steps, 50000);
  for (const char* bad : {"0", "11", "-1", "3x", ""}) {
    EXPECT_EQ(ErrorOf(std::string("pct_depth=") + bad),
              std::string("racelens: option 'pct_depth' must be an integer from 1 to 10, not '") +
                  bad + "'; fix RACELENS_OPTIONS.");
  }
  for (const char* bad : {"0", "-5", "1000000001", "1.5", ""}) {
    EXPECT_EQ(ErrorOf(std::string("pct_steps=") + bad),
              std::string("racelens: option 'pct_steps' must be an integer from 1 to 1000000000, "
                          "not '") +
                  bad + "'; fix RACELENS_OPTIONS.");
  }
}

TEST(OptionsTest, SeedIsAnUnsigned64BitInteger) {
  EXPECT_FALSE(ParseOptions("").seed.has_value());
  EXPECT_EQ(ParseOptions("seed=3").seed, 3U);
  EXPECT_EQ(ParseOptions("schedule=os:seed=0").seed, 0U);
  EXPECT_EQ(ParseOptions("seed=18446744073709551615").seed, 18446744073709551615ULL);
  for (const char* bad : {"-1", "18446744073709551616", "3x", "", " 3", "+3", "0x10"}) {
    EXPECT_EQ(ErrorOf(std::string("seed=") + bad),
              std::string("racelens: option 'seed' must be an integer from 0 to "
                          "18446744073709551615, not '") +
                  bad + "'; fix RACELENS_OPTIONS.")
        << bad;
  }
}

TEST(OptionsTest, ParsesEveryDetectorOption) {
  const Options o = ParseOptions(
      "report_path=/tmp/r:format=json:halt_on_error=1:exitcode=3:deadlock_timeout=0.5:"
      "suppressions=/tmp/s.txt:history=0");
  EXPECT_EQ(o.report_path, "/tmp/r");
  EXPECT_EQ(o.format, ReportFormat::kJson);
  EXPECT_TRUE(o.halt_on_error);
  EXPECT_EQ(o.exitcode, 3);
  EXPECT_DOUBLE_EQ(o.deadlock_timeout, 0.5);
  EXPECT_EQ(o.suppressions, "/tmp/s.txt");
  EXPECT_EQ(o.history, 0);
}

TEST(OptionsTest, BadNumbersNameTheKeyAndTheRange) {
  EXPECT_THAT(ErrorOf("exitcode=300"),
              HasSubstr("option 'exitcode' must be an integer from 0 to 255"));
  EXPECT_THAT(ErrorOf("exitcode=6x"), HasSubstr("option 'exitcode' must be an integer"));
  EXPECT_THAT(ErrorOf("deadlock_timeout=0"),
              HasSubstr("option 'deadlock_timeout' must be a positive number of seconds"));
  EXPECT_THAT(ErrorOf("format=xml"),
              HasSubstr("option 'format' must be one of text, json, not 'xml'"));
}

// A program started with a bad RACELENS_OPTIONS stops before main with status 2.
// (This binary re-runs itself; it uses a Lock so that the runtime is linked in.)
TEST(OptionsTest, BadOptionsStopTheProgramAtStartUp) {
  racelens::Lock lock;
  ASSERT_TRUE(lock.acquire());
  lock.release();
  std::array<char, 4096> exe{};
  const ssize_t n = readlink("/proc/self/exe", exe.data(), exe.size() - 1);
  ASSERT_GT(n, 0);
  const std::string command =
      "RACELENS_OPTIONS=colour=red '" + std::string(exe.data(), n) + "' --gtest_list_tests 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 256> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  const int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_THAT(output, HasSubstr("racelens: unknown option 'colour' in RACELENS_OPTIONS"));
  EXPECT_THAT(output, ::testing::Not(HasSubstr("OptionsTest.")));
}

}  // namespace
}  // namespace racelens::detail
