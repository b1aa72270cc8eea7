// A racy racelens program for `racelens run` tests: two threads add to `counter` without a lock
// (found by happens-before in every run), then the main thread prints the total.
#include <iostream>

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {
racelens::Shared<int> counter{0, "counter"};

void add_ten() {
  // NOLINTNEXTLINE(racelens-unguarded-shared-write): the race this test program exists to show
  for (int i = 0; i < 10; ++i) counter = counter + 1;
}
}  // namespace

int main() {
  racelens::Thread first(add_ten);
  racelens::Thread second(add_ten);
  first.start();
  second.start();
  first.join();
  second.join();
  std::cout << "counter = " << counter.load() << "\n";
  return 0;
}
