// queue_exp.py: a producer puts (function, argument) pairs on a Queue; a
// consumer gets them, calls them and marks them done.
//
//   def double(n):
//       return n * 2
//   def producer():
//       while True:
//           wt = random.randint(1, 10)
//           time.sleep(random.random())
//           q.put((double, wt))
//   def consumer():
//       while True:
//           task, arg = q.get()
//           print(arg, task(arg), q.qsize())
//           q.task_done()
//   for target in (producer, consumer):
//       t = threading.Thread(target=target)
//       t.start()
//
// Bounded: the producer puts ITEMS pairs (sleeping up to 50 ms, not 1 s), the
// main thread waits for it and for q.join(); the consumer is a daemon.
#include <racelens/queue.hpp>
#include <racelens/random.hpp>
#include <racelens/threading.hpp>

#include <cstdio>
#include <functional>
#include <utility>

namespace {

constexpr int ITEMS = 10;

racelens::Queue<std::pair<std::function<int(int)>, int>> q;

int double_(int n) { return n * 2; }  // `double` is a C++ keyword

void producer() {
  for (int i = 0; i < ITEMS; ++i) {
    const int wt = racelens::randint(1, 10);
    racelens::sleep(racelens::uniform(0, 0.05));
    q.put({double_, wt});
  }
}

void consumer() {
  while (true) {
    auto [task, arg] = q.get();
    std::printf("%d %d %zu\n", arg, task(arg), q.qsize());
    q.task_done();
  }
}

}  // namespace

int main() {
  racelens::Thread producer_thread(producer);
  racelens::Thread consumer_thread(racelens::ThreadOptions{.daemon = true}, consumer);
  producer_thread.start();
  consumer_thread.start();
  producer_thread.join();
  q.join();
}
