// tests/e2e/programs/locked_counter.cpp — the fixed twin of racy_counter: the counter under a Lock.
//
// The same two threads add 1 to 'value' a hundred times each, holding `lock` for every
// increment; lock release -> next acquire orders the increments, and join orders main's final
// read after both threads. Expected: no report, exit status 0 (1 if the count is wrong).

#include <mutex>

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

racelens::Shared<int> value{0, "value"};
racelens::Lock lock{"lock"};

void add_hundred() {
  for (int i = 0; i < 100; ++i) {
    std::lock_guard hold(lock);
    value = value + 1;
  }
}

}  // namespace

int main() {
  racelens::Thread first(racelens::ThreadOptions{.name = "adder-1", .daemon = false}, add_hundred);
  racelens::Thread second(racelens::ThreadOptions{.name = "adder-2", .daemon = false}, add_hundred);
  first.start();
  second.start();
  first.join();
  second.join();
  return value.load() == 200 ? 0 : 1;
}
