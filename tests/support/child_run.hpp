// tests/support/child_run.hpp — re-run this test binary as a child with other options.
//
// RunChild(options, filter) runs /proc/self/exe with RACELENS_OPTIONS=options,
// --gtest_also_run_disabled_tests and --gtest_filter=filter under `timeout 60`
// (a hang fails the test instead of hanging it), and returns the exit status,
// the lines the child printed itself ("R ", "L ", "racelens:") and everything
// for failure messages. The child's tests are DISABLED_ ones, so the parent's
// own run skips them.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <string>

namespace racelens::testing {

struct ChildRun {
  int status = -1;     // the exit status, -1 when killed by a signal or not run
  std::string output;  // the lines the child printed itself ("R ", "L ", "racelens:")
  std::string all;     // everything, for failure messages
};

inline ChildRun RunChild(const std::string& options, const std::string& filter) {
  std::array<char, 4096> exe{};
  const ssize_t n = readlink("/proc/self/exe", exe.data(), exe.size() - 1);
  if (n <= 0) return {};
  const std::string command = "RACELENS_OPTIONS='" + options + "' timeout 60 '" +
                              std::string(exe.data(), static_cast<std::size_t>(n)) +
                              "' --gtest_also_run_disabled_tests --gtest_filter=" + filter +
                              " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {};
  ChildRun run;
  std::array<char, 1024> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) {
    const std::string line = buffer.data();
    run.all += line;
    if (line.starts_with("R ") || line.starts_with("L ") || line.starts_with("racelens:")) {
      run.output += line;
    }
  }
  const int status = pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace racelens::testing
