// tests/e2e/programs/racy_counter.cpp — the unlocked counter: a data race on 'value'.
//
// Two threads each run `value = value + 1` a hundred times on a Shared<int> with no lock.
// Nothing orders one thread's accesses with the other's (the threads are only started and
// joined by main), so happens-before finds the race in every run, whatever the interleaving.
// Expected: data-race reports on 'value', both accesses on the SITE line. Twin: locked_counter.

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

racelens::Shared<int> value{0, "value"};

void add_hundred() {
  for (int i = 0; i < 100; ++i) {
    value = value + 1;  // SITE: data-race read,write value
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
  return 0;
}
