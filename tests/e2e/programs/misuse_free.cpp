// tests/e2e/programs/misuse_free.cpp — the fixed twin of misuse_release and misuse_exit_locked.
//
// Releases only what it acquired (checking locked() where a release might be one too many),
// and the worker releases its lock before it returns (std::lock_guard). Expected: no report,
// exit status 0.

#include <mutex>

#include "racelens/racelens.hpp"

namespace {

racelens::Lock lock{"lock"};
racelens::Lock held{"held"};

void careful_worker() { std::lock_guard hold(held); }

}  // namespace

int main() {
  lock.acquire();
  lock.release();
  if (lock.locked()) lock.release();  // not locked any more: no second release
  racelens::Thread worker(racelens::ThreadOptions{.name = "careful", .daemon = false},
                          careful_worker);
  worker.start();
  worker.join();
  return held.locked() ? 1 : 0;
}
