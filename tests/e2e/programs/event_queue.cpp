// tests/e2e/programs/event_queue.cpp — the fixed twin of event_wait_clear: a Queue hand-off.
//
// The producer hands each signal over as a queue item instead of set()ting a shared Event; the
// consumer get()s them one by one, so no signal can be lost and there is no Event to clear.
// Each item comes with data written by the producer ('payload'): Queue.put -> get orders the
// consumer's read after the write, and the consumer's task_done -> the producer's join orders
// that read before the producer's next write. Expected: no report, exit status 0 (1 if a signal
// went missing).

#include "racelens/queue.hpp"
#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

racelens::Queue<int> signals{0, "signals"};
racelens::Shared<int> payload{0, "payload"};
racelens::Shared<int> received{0, "received"};

void consumer() {
  for (int i = 0; i < 2; ++i) {
    const int signal = signals.get();
    received.store(received.load() + signal + payload.load());
    signals.task_done();
  }
}

void producer() {
  for (int i = 1; i <= 2; ++i) {
    payload.store(i);
    signals.put(i);
    signals.join();  // until the consumer has taken the item and read 'payload'
  }
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
  return received.load() == 1 + 1 + 2 + 2 ? 0 : 1;
}
