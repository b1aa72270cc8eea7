// tests/instrument/exit_test.cpp — daemon semantics at program exit, as Python's interpreter
// shutdown has them: when main returns (or std::exit is called) every non-daemon thread is
// joined, daemon threads do not hold the exit up, and std::_Exit skips the join. Runs
// tests/instrument/exit_child.cpp in a child process and checks its output and exit status.
//
// The child runs under coreutils `timeout` so that a hang fails the test (status 124) instead
// of stalling the suite; the limit is a hang guard, not a timing assertion.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#ifndef RACELENS_EXIT_CHILD
#error "RACELENS_EXIT_CHILD must name the exit_child program (see tests/CMakeLists.txt)"
#endif

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct ChildResult {
  int exit_code = -1;  // -1 when the child did not exit normally
  std::string output;  // stdout and stderr
};

// `environment`: assignments put before the command, e.g. "RACELENS_OPTIONS=history=2".
ChildResult RunChild(const std::string& mode, const std::string& environment = "") {
  const std::string command =
      environment + " timeout 120 '" + RACELENS_EXIT_CHILD + "' " + mode + " 2>&1";
  ChildResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen failed: " << command;
    return result;
  }
  std::array<char, 4096> buffer;
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.output.append(buffer.data(), n);
  }
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

// Position of `line` in `output`, or npos.
std::size_t Find(const std::string& output, const std::string& line) { return output.find(line); }

TEST(ExitTest, NonDaemonThreadIsJoinedWhenMainReturns) {
  const ChildResult r = RunChild("join");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const std::size_t main_line = Find(r.output, "main: returning");
  const std::size_t waiter_line = Find(r.output, "waiter: released after main returned");
  ASSERT_NE(main_line, std::string::npos) << r.output;
  ASSERT_NE(waiter_line, std::string::npos)
      << "the process exited without joining the non-daemon thread:\n"
      << r.output;
  EXPECT_LT(main_line, waiter_line) << r.output;
}

TEST(ExitTest, NonDaemonThreadIsJoinedOnStdExit) {
  const ChildResult r = RunChild("exit");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const std::size_t main_line = Find(r.output, "main: calling exit");
  const std::size_t waiter_line = Find(r.output, "waiter: released after main returned");
  ASSERT_NE(main_line, std::string::npos) << r.output;
  ASSERT_NE(waiter_line, std::string::npos) << "std::exit did not join the non-daemon thread:\n"
                                            << r.output;
  EXPECT_LT(main_line, waiter_line) << r.output;
}

TEST(ExitTest, BlockedDaemonThreadDoesNotBlockExit) {
  const ChildResult r = RunChild("daemon");
  EXPECT_EQ(r.exit_code, 0) << "124 means the child hung at exit\n" << r.output;
  EXPECT_THAT(r.output, HasSubstr("main: returning"));
}

// Regression: a daemon thread waiting on a static Event used to hang exit in the Event's
// destructor (std::condition_variable's destroy waits for its sleepers on glibc).
TEST(ExitTest, DaemonWaitingOnStaticEventDoesNotHangExit) {
  const ChildResult r = RunChild("daemon-static-event");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("main: returning"));
}

TEST(ExitTest, ChildOfDaemonIsDaemonAndDoesNotBlockExit) {
  const ChildResult r = RunChild("daemon-child");
  EXPECT_EQ(r.exit_code, 0) << "124 means the child hung at exit\n" << r.output;
  EXPECT_THAT(r.output, HasSubstr("main: returning"));
  EXPECT_THAT(r.output, Not(HasSubstr("error:")));
}

TEST(ExitTest, DaemonLeftBehindNonDaemonJoined) {
  const ChildResult r = RunChild("mixed");
  EXPECT_EQ(r.exit_code, 0) << "124 means the child hung at exit\n" << r.output;
  EXPECT_THAT(r.output, HasSubstr("waiter: released after main returned"));
}

TEST(ExitTest, UnderscoreExitSkipsTheJoin) {
  const ChildResult r = RunChild("quick-exit");
  EXPECT_EQ(r.exit_code, 0) << "124 means _Exit waited for a thread\n" << r.output;
  EXPECT_THAT(r.output, HasSubstr("main: calling _Exit"));
}

// A bad option found while a static racelens object is constructed stops the program with the
// documented message and status 2 (it used to abort with recursive_init_error while exiting).
TEST(ExitTest, BadOptionDuringStaticInitialisationExitsWithStatus2) {
  const ChildResult r = RunChild("join", "RACELENS_OPTIONS=bogus=1");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("unknown option 'bogus' in RACELENS_OPTIONS"));
  EXPECT_THAT(r.output, Not(HasSubstr("terminate called")));
}

TEST(ExitTest, UnknownModeIsAUsageError) {
  const ChildResult r = RunChild("no-such-mode");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("usage:"));
}

}  // namespace
