// tests/e2e/programs/main_thread_race.cpp — the main thread is a thread: main races its child.
//
// Main starts a child that stores to 'status', then stores to 'status' itself before joining.
// Main's store comes after the start (its clock has moved on) and before the join, so it is
// concurrent with the child's store in every run. Expected: one data-race report on 'status'
// between the two SITE lines, threads MainThread and 'child'. Twin: main_thread_joined.

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

racelens::Shared<int> status{0, "status"};

void child_work() {
  status.store(1);  // SITE: data-race write status
}

}  // namespace

int main() {
  racelens::Thread child(racelens::ThreadOptions{.name = "child", .daemon = false}, child_work);
  child.start();
  status.store(2);  // SITE: data-race write status
  child.join();
  return 0;
}
