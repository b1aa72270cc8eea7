// tests/e2e/programs/misuse_exit_locked.cpp — a thread that exits while holding a lock.
//
// The worker acquire()s 'held' and returns without releasing it. Expected: one misuse report,
// "thread exited while holding M<n> 'held'", whose stack is where the lock was acquired (the
// SITE line), exit status 66. Twin: misuse_free.

#include "racelens/racelens.hpp"

namespace {

racelens::Lock held{"held"};

void forgetful_worker() {
  held.acquire();  // SITE: misuse misuse-call
}

}  // namespace

int main() {
  racelens::Thread worker(racelens::ThreadOptions{.name = "forgetful", .daemon = false},
                          forgetful_worker);
  worker.start();
  worker.join();
  return held.locked() ? 0 : 1;
}
