// tests/e2e/programs/event_wait_clear.cpp — the wait-then-clear Event consumer: an event-race.
//
// The consumer of the source material's event.py: wait() for the signal, then clear() it for the
// next one. The producer set()s, and set()s again once the consumer has acknowledged the first
// signal (through a second Event, 'received'). The acknowledgement comes before the clear(), so
// the second set() is ordered after the consumer's wait() but not after its clear(), and the
// clear() is not ordered after the second set(): whichever comes first in a run, the clear() can
// wipe the second signal out. Happens-before sees this in every run. Expected: an event-race
// report on 'event' between the SITE lines. Twin: event_queue.
//
// (The consumer does not wait for the second signal: when the clear() wins it is lost, and a
// consumer waiting for it would hang — the very bug.)

#include "racelens/racelens.hpp"

namespace {

racelens::Event event{"event"};
racelens::Event received{"received"};

void consumer() {
  event.wait();
  received.set();  // "got it" ...
  event.clear();   // SITE: event-race event-clear event
}

void producer() {
  event.set();
  received.wait();
  event.set();  // SITE: event-race event-set event
}

}  // namespace

int main() {
  racelens::Thread consuming(racelens::ThreadOptions{.name = "consumer", .daemon = false},
                             consumer);
  racelens::Thread producing(racelens::ThreadOptions{.name = "producer", .daemon = false},
                             producer);
  consuming.start();
  producing.start();
  consuming.join();
  producing.join();
  return 0;
}
