// tests/e2e/programs/event_storage_reused.cpp — an Event destroyed and a new one made in its
// storage: no event-race. Clean.
//
// Thread 'setter' set()s the first Event. Main waits for that through a std::atomic (which
// racelens does not see, so main is not ordered after the set()), destroys the Event, makes a
// second one at the same address and clear()s it. The clear() is of another Event than the set():
// nothing to report. (Before the fix, the detector kept the destroyed Event's last set() by
// address and reported the new Event's clear() as racing with it, in every run.)

#include <atomic>
#include <optional>

#include "racelens/racelens.hpp"

namespace {

std::optional<racelens::Event> slot;
std::atomic<bool> first_was_set{false};

void setter() {
  slot->set();
  first_was_set.store(true);
}

}  // namespace

int main() {
  slot.emplace("first");
  racelens::Thread setting(racelens::ThreadOptions{.name = "setter", .daemon = false}, setter);
  setting.start();
  while (!first_was_set.load()) {
  }
  slot.reset();
  slot.emplace("second");  // the same storage
  slot->clear();
  setting.join();
  return 0;
}
