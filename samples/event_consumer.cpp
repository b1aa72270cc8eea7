// event.py: consumers wait for an Event, pop an item and clear the Event; a
// producer appends items and sets the Event.
//
//   def consumer(ev, l):
//       t = threading.currentThread()
//       while 1:
//           event_is_set = ev.wait(TIMEOUT)
//           if event_is_set:
//               try:
//                   integer = l.pop()
//                   print(integer, ' popped from list by ', t.name)
//                   ev.clear()  # reset event
//               except IndexError:
//                   pass
//   def producer(ev, l):
//       t = threading.currentThread()
//       while 1:
//           integer = random.randint(10, 100)
//           l.append(integer)
//           print(integer, ' appended to list by ', t.name)
//           ev.set()
//           time.sleep(1)
//
// Python's documentation warns about this consumer: a set() that lands between
// a consumer's wait() and its clear() is lost. racelens reports the unordered
// set()/clear() pair (event-race on `event`) and the list both consumers and the
// producer change without a lock (data-race on `l`). Bounded: the producer makes
// ITEMS items a PAUSE apart (1 s in the original), then the consumers stop.
#include <racelens/random.hpp>
#include <racelens/shared.hpp>
#include <racelens/threading.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

constexpr double TIMEOUT = 0.2;  // 2 in the original
constexpr double PAUSE = 0.05;   // 1 in the original
constexpr int ITEMS = 4;

racelens::Event event{"event"};
racelens::Event producer_done{"producer_done"};
racelens::Shared<std::vector<int>> l{{}, "l"};

void consumer() {
  const std::string name = racelens::current_thread().name();
  while (!producer_done.is_set()) {
    const bool event_is_set = event.wait(TIMEOUT);
    if (event_is_set) {
      int integer = 0;
      const bool popped = l.write([&](std::vector<int>& list) {
        if (list.empty()) return false;  // IndexError
        integer = list.back();
        list.pop_back();
        return true;
      });
      if (popped) {
        std::printf("%d  popped from list by  %s\n", integer, name.c_str());
        event.clear();  // reset event
      }
    }
  }
}

void producer() {
  const std::string name = racelens::current_thread().name();
  // racelens::randint is random.randint; runs with the same seed (seed=N) draw the same integers.
  for (int i = 0; i < ITEMS; ++i) {
    const int integer = racelens::randint(10, 100);
    l.write([&](std::vector<int>& list) { list.push_back(integer); });
    std::printf("%d  appended to list by  %s\n", integer, name.c_str());
    event.set();
    racelens::sleep(PAUSE);
  }
  producer_done.set();
}

}  // namespace

int main() {
  racelens::Thread consumer1(racelens::ThreadOptions{.name = "consumer1"}, consumer);
  racelens::Thread consumer2(racelens::ThreadOptions{.name = "consumer2"}, consumer);
  racelens::Thread producer_thread(racelens::ThreadOptions{.name = "producer"}, producer);
  consumer1.start();
  consumer2.start();
  producer_thread.start();
  producer_thread.join();
  consumer1.join();
  consumer2.join();
}
