// tests/instrument/executor_exit_test.cpp — CPython test_shutdown.py's subprocess tests for the
// thread executor: an executor still alive at program exit is shut down and joined after its
// queued tasks ran (CPython's atexit hook), and submitting afterwards raises RuntimeError.
// Runs tests/instrument/executor_exit_child.cpp; coreutils `timeout` turns a hang into a failure
// (a hang guard, not a timing assertion).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <string>

#ifndef RACELENS_EXECUTOR_EXIT_CHILD
#error "RACELENS_EXECUTOR_EXIT_CHILD must name the executor_exit_child program"
#endif

namespace {

using ::testing::HasSubstr;

struct ChildResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

ChildResult RunChild(const std::string& mode) {
  char err_path[] = "/tmp/racelens-executor-exit-XXXXXX";
  const int fd = mkstemp(err_path);
  if (fd >= 0) close(fd);
  const std::string command = std::string("timeout 120 '") + RACELENS_EXECUTOR_EXIT_CHILD + "' " +
                              mode + " 2>'" + err_path + "'";
  ChildResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen failed: " << command;
    return result;
  }
  std::array<char, 4096> buffer;
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.out.append(buffer.data(), n);
  }
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (FILE* err = std::fopen(err_path, "r")) {
    while ((n = std::fread(buffer.data(), 1, buffer.size(), err)) > 0) {
      result.err.append(buffer.data(), n);
    }
    std::fclose(err);
  }
  std::remove(err_path);
  return result;
}

// test_interpreter_shutdown
TEST(ExecutorExitTest, InterpreterShutdown) {
  const ChildResult r = RunChild("interpreter-shutdown");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "apple\n");
}

// test_submit_after_interpreter_shutdown
TEST(ExecutorExitTest, SubmitAfterInterpreterShutdown) {
  const ChildResult r = RunChild("submit-after-interpreter-shutdown");
  EXPECT_THAT(r.err, HasSubstr("RuntimeError: cannot schedule new futures"));
  EXPECT_EQ(r.out, "runtime-error\n");
}

// test_hang_gh83386: shutdown(wait=false) does not hang at exit with running futures.
TEST(ExecutorExitTest, HangGh83386) {
  const ChildResult r = RunChild("hang-gh83386");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "apple\n");
}

}  // namespace
