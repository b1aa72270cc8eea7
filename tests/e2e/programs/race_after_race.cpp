// tests/e2e/programs/race_after_race.cpp — a third writer that follows only one of two racing
// writers (the `history` option).
//
// writer-1 stores to `slot`; writer-2 stores after it in real time, but nothing racelens sees
// orders the two (the hand-over is a std::atomic flag, invisible to the detector): a race. Then
// writer-2 sets `handoff`, and writer-3 waits for it and stores: writer-3 is ordered after
// writer-2 but not after writer-1, a second race. Plain FastTrack (history=1) has forgotten
// writer-1's store by then and misses it; the default history=4 keeps it. Expected: data-race
// reports on 'slot' covering all three SITE lines, in every run.

#include <atomic>
#include <thread>

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

racelens::Shared<int> slot{0, "slot"};
racelens::Event handoff{"handoff"};
std::atomic<bool> first_done{false};  // orders the stores in time, not for the detector

void writer_1() {
  slot.store(1);  // SITE: data-race write slot
  first_done.store(true);
}

void writer_2() {
  while (!first_done.load()) std::this_thread::yield();
  slot.store(2);  // SITE: data-race write slot
  handoff.set();
}

void writer_3() {
  handoff.wait();
  slot.store(3);  // SITE: data-race write slot
}

}  // namespace

int main() {
  racelens::Thread first(racelens::ThreadOptions{.name = "writer-1", .daemon = false}, writer_1);
  racelens::Thread second(racelens::ThreadOptions{.name = "writer-2", .daemon = false}, writer_2);
  racelens::Thread third(racelens::ThreadOptions{.name = "writer-3", .daemon = false}, writer_3);
  first.start();
  second.start();
  third.start();
  first.join();
  second.join();
  third.join();
  return 0;
}
