// tests/instrument/executor_exit_child.cpp — the programs executor_exit_test runs: CPython's
// test_shutdown.py subprocess snippets (test_interpreter_shutdown,
// test_submit_after_interpreter_shutdown, test_hang_gh83386) in C++.
//
// Usage: executor_exit_child <mode>. Leaked executors are heap objects never deleted, as a
// Python executor that is still referenced when the interpreter exits.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "racelens/futures.hpp"
#include "racelens/threading.hpp"

namespace {

racelens::ThreadPoolExecutor* t = nullptr;
racelens::Event* gate = nullptr;

void sleep_and_print(const char* msg) {
  if (gate != nullptr) gate->wait();
  std::printf("%s\n", msg);
  std::fflush(stdout);
}

void open_gate() { gate->set(); }

void run_last() {
  try {
    (void)t->submit([] { return 0; });
  } catch (const racelens::RuntimeError& e) {
    std::printf("runtime-error\n");
    std::fprintf(stderr, "RuntimeError: %s\n", e.what());
    std::fflush(nullptr);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string mode = argv[1];
  if (mode == "interpreter-shutdown") {
    // The task can only finish once exit began (the gate opens in an atexit handler registered
    // after the executor's): the executor's own exit hook must wait for it.
    gate = new racelens::Event();
    t = new racelens::ThreadPoolExecutor(5);
    (void)t->submit(sleep_and_print, "apple");
    std::atexit(open_gate);
    return 0;
  }
  if (mode == "submit-after-interpreter-shutdown") {
    std::atexit(run_last);  // runs after the executors were shut down at exit
    t = new racelens::ThreadPoolExecutor(5);
    t->submit([] { return 42; }).result();
    return 0;
  }
  if (mode == "hang-gh83386") {
    gate = new racelens::Event();
    t = new racelens::ThreadPoolExecutor(3);
    (void)t->submit(sleep_and_print, "apple");
    t->shutdown(/*wait=*/false);
    std::atexit(open_gate);
    return 0;
  }
  return 2;
}
