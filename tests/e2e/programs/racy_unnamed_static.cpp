// tests/e2e/programs/racy_unnamed_static.cpp — a race on a Shared<int> that has no name.
//
// `tally` is a static Shared<int> constructed without a name: reports name it from the symbol
// table, as ThreadSanitizer names globals. Two threads, started together and joined only at the
// end, each store to it once; nothing orders the stores, so the race is found in every run.
// Expected: one data-race report on 'tally' with both stores on SITE lines.

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

racelens::Shared<int> tally{0};

void first_writer() {
  tally.store(1);  // SITE: data-race write tally
}

void second_writer() {
  tally.store(2);  // SITE: data-race write tally
}

}  // namespace

int main() {
  racelens::Thread first(racelens::ThreadOptions{.name = "writer-1", .daemon = false},
                         first_writer);
  racelens::Thread second(racelens::ThreadOptions{.name = "writer-2", .daemon = false},
                          second_writer);
  first.start();
  second.start();
  first.join();
  second.join();
  return 0;
}
