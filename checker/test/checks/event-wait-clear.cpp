// Test cases for racelens-event-wait-clear (run by check_expectations.py).
// Expectation markers must stay on their lines: clang-format must not rewrap them.
// clang-format off
#include <racelens_mocks.h>

// case bad: the event_consumer sample: wait(TIMEOUT), pop(), clear()
namespace b1 {
racelens::Event event{"event"};
std::vector<int> l;
void consumer() {
  event.wait(1.0);  // expect-note: 'event' waited on here
  l.clear();
  event.clear();  // expect-warning: 'event' is cleared after being waited on
}
}  // namespace b1

// case bad: if (ev.is_set()) ev.clear()
namespace b2 {
racelens::Event ev;
void poll() {
  if (ev.is_set())  // expect-note: 'ev' tested here
    ev.clear();     // expect-warning: 'ev' is cleared after being tested
}
}  // namespace b2

// case bad: a consumer loop
namespace b3 {
racelens::Event ev;
void consumer() {
  while (true) {
    ev.wait();
    ev.clear();  // expect-warning: 'ev' is cleared after being waited on
  }
}
}  // namespace b3

// case bad: a member Event
namespace b4 {
class Worker {
  racelens::Event ready_;

 public:
  void loop() {
    ready_.wait();
    ready_.clear();  // expect-warning: 'ready_' is cleared
  }
};
}  // namespace b4

// case bad: an Event passed by reference
namespace b5 {
void consume(racelens::Event& ev) {
  ev.wait();
  ev.clear();  // expect-warning: 'ev' is cleared
}
}  // namespace b5

// case bad: an Event through a pointer
namespace b6 {
void consume(racelens::Event* ev) {
  ev->wait();
  ev->clear();  // expect-warning: 'ev' is cleared
}
}  // namespace b6

// case bad: in a thread lambda capturing the Event
namespace b7 {
void start() {
  racelens::Event ev;
  std::thread t([&ev] {
    ev.wait();
    ev.clear();  // expect-warning: 'ev' is cleared
  });
  ev.set();
  t.join();
}
}  // namespace b7

// case bad: the wait is an if condition
namespace b8 {
racelens::Event ev;
void consumer() {
  if (ev.wait(0.5)) ev.clear();  // expect-warning: 'ev' is cleared
}
}  // namespace b8

// case bad: the clear on one branch only
namespace b9 {
racelens::Event ev;
void consumer(bool once) {
  ev.wait();
  if (once) ev.clear();  // expect-warning: 'ev' is cleared
}
}  // namespace b9

// case bad: a polling loop, then clear
namespace b10 {
racelens::Event ev;
void consumer() {
  while (!ev.is_set()) racelens::sleep(0.1);
  ev.clear();  // expect-warning: 'ev' is cleared after being tested
}
}  // namespace b10

// case bad: an Event member of a global struct
namespace b11 {
struct Signals {
  racelens::Event data;
};
Signals signals;
void consumer() {
  signals.data.wait();
  signals.data.clear();  // expect-warning: 'signals.data' is cleared
}
}  // namespace b11

// case bad: only the Event that was waited on is flagged
namespace b12 {
racelens::Event a, b;
void consumer() {
  a.wait();
  b.clear();
  a.clear();  // expect-warning: 'a' is cleared
}
}  // namespace b12

// case bad: wait inside try, clear after it
namespace b13 {
racelens::Event ev;
void consumer() {
  try {
    ev.wait();
  } catch (...) {
  }
  ev.clear();  // expect-warning: 'ev' is cleared
}
}  // namespace b13

// case bad: clear in a nested block
namespace b14 {
racelens::Event ev;
int items;
void consumer() {
  ev.wait();
  {
    items = 0;
    ev.clear();  // expect-warning: 'ev' is cleared
  }
}
}  // namespace b14

// case bad: wait in a loop, clear after it
namespace b15 {
racelens::Event ev;
void consumer() {
  for (int i = 0; i < 3; ++i) ev.wait(0.1);
  ev.clear();  // expect-warning: 'ev' is cleared
}
}  // namespace b15

// case good: clear before waiting (reset, then wait) in a loop
namespace g1 {
racelens::Event ev;
void consumer() {
  for (int i = 0; i < 3; ++i) {
    ev.clear();
    ev.wait();
  }
}
}  // namespace g1

// case good: wait only
namespace g2 {
racelens::Event ev;
void consumer() { ev.wait(); }
}  // namespace g2

// case good: the producer sets and clears
namespace g3 {
racelens::Event ev;
void producer() {
  ev.set();
  ev.clear();
}
}  // namespace g3

// case good: wait on one Event, clear another
namespace g4 {
racelens::Event a, b;
void consumer() {
  a.wait();
  b.clear();
}
}  // namespace g4

// case good: wait and clear in different functions
namespace g5 {
racelens::Event ev;
void waiter() { ev.wait(); }
void resetter() { ev.clear(); }
}  // namespace g5

// case good: Events of two different parameters
namespace g6 {
void f(racelens::Event& x, racelens::Event& y) {
  x.wait();
  y.clear();
}
}  // namespace g6

// case good: clear before the wait, no loop
namespace g7 {
racelens::Event ev;
void consumer() {
  ev.clear();
  ev.wait();
}
}  // namespace g7

// case good: a Condition with a predicate instead
namespace g8 {
racelens::Condition cond;
int items;
void consumer() {
  std::lock_guard with(cond);
  cond.wait_for([] { return items > 0; });
  items = items - 1;
}
}  // namespace g8

// case good: a Queue instead
namespace g9 {
racelens::Queue<int> queue;
int consumer() { return queue.get(); }
}  // namespace g9

// case good: tests one Event, clears another
namespace g10 {
racelens::Event stop, tick;
void loop() {
  if (stop.is_set()) return;
  tick.clear();
}
}  // namespace g10

// case good: the clear after a return is unreachable
namespace g11 {
racelens::Event ev;
void consumer() {
  ev.wait();
  return;
  ev.clear();
}
}  // namespace g11

// case good: std::vector::clear is not an Event
namespace g12 {
std::vector<int> items;
std::future<int> result;
void consumer() {
  result.wait();
  items.clear();
}
}  // namespace g12

// case good: a class of our own with wait() and clear()
namespace g13 {
struct Flag {
  void wait();
  void clear();
};
Flag flag;
void consumer() {
  flag.wait();
  flag.clear();
}
}  // namespace g13

// case good: the clear is in a lambda, a function of its own
namespace g14 {
racelens::Event ev;
void consumer() {
  ev.wait();
  auto reset = [] { ev.clear(); };
  (void)reset;
}
}  // namespace g14

// case good: set after wait
namespace g15 {
racelens::Event ev, done;
void relay() {
  ev.wait();
  done.set();
}
}  // namespace g15
