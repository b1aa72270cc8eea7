// tests/tsan/unlocked_counter.cpp — the unlocked counter on a plain int, with racelens threads.
// A Barrier starts both threads together (so their increments overlap without any sleep); the
// increments themselves are not ordered by anything. ThreadSanitizer must report the data race
// on `counter` at the increment (the ctest checks this file's name and line in TSan's report).
#include <racelens/racelens.hpp>

#include <cstdio>

namespace {

int counter = 0;
racelens::Barrier start{2};

void Work() {
  start.wait();
  for (int i = 0; i < 10000; ++i) {
    counter = counter + 1;  // TSAN-RACE-LINE
  }
}

}  // namespace

int main() {
  racelens::Thread a(Work);
  racelens::Thread b(Work);
  a.start();
  b.start();
  a.join();
  b.join();
  std::printf("counter=%d\n", counter);
  return 0;
}
