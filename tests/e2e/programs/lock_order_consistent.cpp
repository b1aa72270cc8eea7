// tests/e2e/programs/lock_order_consistent.cpp — the fixed twin of lock_order: one lock order.
//
// Two threads run concurrently and each takes lock_a then lock_b ten times: the order is the
// same everywhere, so the lock-order graph has only the edge lock_a -> lock_b. The counter they
// update under both locks is ordered by them. Expected: no report, exit status 0.

#include <mutex>

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

racelens::Lock lock_a{"lock_a"};
racelens::Lock lock_b{"lock_b"};
racelens::Shared<int> total{0, "total"};

void a_then_b() {
  for (int i = 0; i < 10; ++i) {
    std::lock_guard hold_a(lock_a);
    std::lock_guard hold_b(lock_b);
    total += 1;
  }
}

}  // namespace

int main() {
  racelens::Thread first(racelens::ThreadOptions{.name = "first", .daemon = false}, a_then_b);
  racelens::Thread second(racelens::ThreadOptions{.name = "second", .daemon = false}, a_then_b);
  first.start();
  second.start();
  first.join();
  second.join();
  return total.load() == 20 ? 0 : 1;
}
