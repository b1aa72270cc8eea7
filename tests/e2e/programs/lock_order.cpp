// tests/e2e/programs/lock_order.cpp — a lock-order inversion that never deadlocks.
//
// Thread 1 takes lock_a then lock_b and finishes; only then (main joins it first) does thread 2
// take lock_b then lock_a. The run cannot deadlock, but the lock-order graph gains the cycle
// lock_a -> lock_b -> lock_a, which is reported as lockdep and TSan do — in every run, since the
// order of the two threads is fixed by the join. Expected: a lock-order-inversion report with
// both edges: each edge's held lock taken on an `edge-from` SITE line, the second lock on an
// `edge-to` line. Twin: lock_order_consistent.

#include <mutex>

#include "racelens/racelens.hpp"

namespace {

racelens::Lock lock_a{"lock_a"};
racelens::Lock lock_b{"lock_b"};

void a_then_b() {
  std::lock_guard hold_a(lock_a);  // SITE: lock-order-inversion edge-from lock_a
  std::lock_guard hold_b(lock_b);  // SITE: lock-order-inversion edge-to lock_b
}

void b_then_a() {
  std::lock_guard hold_b(lock_b);  // SITE: lock-order-inversion edge-from lock_b
  std::lock_guard hold_a(lock_a);  // SITE: lock-order-inversion edge-to lock_a
}

}  // namespace

int main() {
  racelens::Thread first(racelens::ThreadOptions{.name = "a-then-b", .daemon = false}, a_then_b);
  first.start();
  first.join();
  racelens::Thread second(racelens::ThreadOptions{.name = "b-then-a", .daemon = false}, b_then_a);
  second.start();
  second.join();
  return 0;
}
