// The replay command in reports: shell quoting, reading it back, and what replay compares.
#include "report/replay.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

#include "report/json_writer.hpp"
#include "report/report_samples.hpp"

namespace racelens::report {
namespace {

TEST(ShellQuote, LeavesPlainWordsAlone) {
  EXPECT_EQ(ShellQuote("./build/dev/samples/nolock_counter"), "./build/dev/samples/nolock_counter");
  EXPECT_EQ(ShellQuote("--seed=17"), "--seed=17");
  EXPECT_EQ(ShellQuote("a,b:c@d%e+f"), "a,b:c@d%e+f");
}

TEST(ShellQuote, QuotesWhatAShellWouldInterpret) {
  EXPECT_EQ(ShellQuote(""), "''");
  EXPECT_EQ(ShellQuote("two words"), "'two words'");
  EXPECT_EQ(ShellQuote("$HOME"), "'$HOME'");
  EXPECT_EQ(ShellQuote("a*b"), "'a*b'");
  EXPECT_EQ(ShellQuote("~user"), "'~user'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote("x=1;y"), "'x=1;y'");
}

TEST(ShellJoin, QuotesEachWord) {
  EXPECT_EQ(ShellJoin({"prog", "a b", "", "c"}), "prog 'a b' '' c");
  EXPECT_EQ(ShellJoin({}), "");
}

TEST(SplitShellWords, UndoesQuotingAndEscapes) {
  EXPECT_EQ(SplitShellWords("  a  'b c' \"d \\\"e\\\" \\x\" f\\ g ''"),
            (std::vector<std::string>{"a", "b c", "d \"e\" \\x", "f g", ""}));
  EXPECT_EQ(SplitShellWords("x'y'\"z\""), (std::vector<std::string>{"xyz"}));
  EXPECT_TRUE(SplitShellWords("   ").empty());
}

TEST(SplitShellWords, RoundTripsShellJoin) {
  const std::vector<std::string> words = {"prog", "it's", "", "a\tb\nc", "\\", "\"q\"", "$x `y`"};
  EXPECT_EQ(SplitShellWords(ShellJoin(words)), words);
}

TEST(SplitShellWords, RejectsUnterminatedQuotesWithASentence) {
  EXPECT_THROW(SplitShellWords("a 'b"), std::invalid_argument);
  EXPECT_THROW(SplitShellWords("a \"b"), std::invalid_argument);
  try {
    SplitShellWords("a \\");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.back(), '.');
    EXPECT_TRUE(std::isupper(static_cast<unsigned char>(message.front())));
  }
}

TEST(ReplayCommand, NamesScheduleSeedAndQuotedArgv) {
  EXPECT_EQ(ReplayCommand("random", 17, std::nullopt, std::nullopt, {"./prog", "a b"}),
            "racelens replay --schedule random --seed 17 -- ./prog 'a b'");
}

TEST(ReplayCommand, NamesPctDepthAndStepsWhenSet) {
  EXPECT_EQ(ReplayCommand("pct", 3, 2, 500, {"/x/prog"}),
            "racelens replay --schedule pct --seed 3 --pct-depth 2 --pct-steps 500 -- /x/prog");
  EXPECT_EQ(ReplayCommand("pct", 3, 2, std::nullopt, {"/x/prog"}),
            "racelens replay --schedule pct --seed 3 --pct-depth 2 -- /x/prog");
  EXPECT_EQ(ReplayCommand("pct", 3, std::nullopt, 1000000000, {"/x/prog"}),
            "racelens replay --schedule pct --seed 3 --pct-steps 1000000000 -- /x/prog");
}

TEST(ReplayProgram, ReadsTheWordsAfterTheSeparator) {
  const std::vector<std::string> argv = {"./prog", "--", "it's", ""};
  EXPECT_EQ(ReplayProgram(ReplayCommand("random", 1, std::nullopt, std::nullopt, argv)), argv);
  EXPECT_EQ(ReplayProgram(ReplayCommand("pct", 1, 3, 1000, argv)), argv);
  EXPECT_TRUE(ReplayProgram("racelens replay --schedule random --seed 1").empty());
  EXPECT_TRUE(ReplayProgram("racelens replay --schedule random --seed 1 --").empty());
}

TEST(ForReplayComparison, DropsOnlyThePid) {
  Report a = samples::DataRace();
  a.pid = 100;
  a.schedule = Schedule{"random", 5, "racelens replay --schedule random --seed 5 -- ./p"};
  Report b = a;
  b.pid = 200;
  EXPECT_EQ(ToJsonLine(ForReplayComparison(a)), ToJsonLine(ForReplayComparison(b)));
  b.accesses.front().stack.front().line += 1;
  EXPECT_NE(ToJsonLine(ForReplayComparison(a)), ToJsonLine(ForReplayComparison(b)));
}

TEST(ForReplayComparison, KeepsPctDepthAndSteps) {
  Report a = samples::DataRace();
  a.schedule = Schedule{"pct", 5, ReplayCommand("pct", 5, 3, 1000, {"./p"})};
  a.schedule.depth = 3;
  a.schedule.steps = 1000;
  Report b = a;
  b.pid = a.pid + 1;
  EXPECT_EQ(ToJsonLine(ForReplayComparison(a)), ToJsonLine(ForReplayComparison(b)));
  b.schedule.steps = 999;
  EXPECT_NE(ToJsonLine(ForReplayComparison(a)), ToJsonLine(ForReplayComparison(b)));
  b.schedule.steps = 1000;
  b.schedule.depth = 2;
  EXPECT_NE(ToJsonLine(ForReplayComparison(a)), ToJsonLine(ForReplayComparison(b)));
}

}  // namespace
}  // namespace racelens::report
