// tests/e2e/programs/main_thread_joined.cpp — the fixed twin of main_thread_race.
//
// Main stores to 'status' before starting the child and again only after joining it: the start
// and join edges order main's accesses with the child's. Expected: no report, exit status 0.

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

racelens::Shared<int> status{0, "status"};

void child_work() { status.store(status.load() + 1); }

}  // namespace

int main() {
  status.store(1);
  racelens::Thread child(racelens::ThreadOptions{.name = "child", .daemon = false}, child_work);
  child.start();
  child.join();
  status.store(status.load() + 1);
  return status.load() == 3 ? 0 : 1;
}
