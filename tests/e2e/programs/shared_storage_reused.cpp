// tests/e2e/programs/shared_storage_reused.cpp — a Shared destroyed and a new one made in its
// storage: no data-race. Clean.
//
// Thread 'writer' writes the first Shared. Main waits for that through a std::atomic (which
// racelens does not see, so main is not ordered after the write), destroys the Shared, makes
// a second one at the same address and writes it. The write is to another variable than the
// first one: nothing to report. A Shared keeps its race state in its own slot, which goes
// with it; state kept by address would take the new variable's write for a race with the
// old one's.

#include <atomic>
#include <optional>

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

std::optional<racelens::Shared<long>> slot;
std::atomic<bool> first_was_written{false};

void writer() {
  slot->store(1);
  first_was_written.store(true);
}

}  // namespace

int main() {
  slot.emplace(0, "first");
  racelens::Thread writing(racelens::ThreadOptions{.name = "writer", .daemon = false}, writer);
  writing.start();
  while (!first_was_written.load()) {
  }
  slot.reset();
  slot.emplace(0, "second");  // the same storage
  slot->store(2);
  writing.join();
  return 0;
}
