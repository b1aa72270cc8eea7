// condition.py: two consumers wait on a Condition, a producer notifies them all.
//
//   def consumer(cond):
//       t = threading.currentThread()
//       with cond:
//           cond.wait()
//           print('{}: Resource is available to consumer'.format(t.name))
//   def producer(cond):
//       t = threading.currentThread()
//       with cond:
//           print('{}: Making resource available'.format(t.name))
//           cond.notifyAll()
//   condition = threading.Condition()
//   c1 = threading.Thread(name='c1', target=consumer, args=(condition,))
//   c2 = threading.Thread(name='c2', target=consumer, args=(condition,))
//   p = threading.Thread(name='p', target=producer, args=(condition,))
//   c1.start(); time.sleep(2); c2.start(); time.sleep(2); p.start()
//
// It works only because of the sleeps: the consumers wait without checking a
// condition, so had the producer run first they would wait forever (a lost
// wake-up). The checker flags the wait outside a loop; `racelens explore` finds
// the schedule that hangs. The sleeps are 0.5 s here (2 s in the original).
#include <racelens/threading.hpp>

#include <cstdio>
#include <mutex>
#include <string>

namespace {

constexpr double PAUSE = 0.5;

void consumer(racelens::Condition& cond) {
  const std::string name = racelens::current_thread().name();
  std::lock_guard with(cond);
  cond.wait();
  std::printf("%s: Resource is available to consumer\n", name.c_str());
}

void producer(racelens::Condition& cond) {
  const std::string name = racelens::current_thread().name();
  std::lock_guard with(cond);
  std::printf("%s: Making resource available\n", name.c_str());
  cond.notify_all();
}

}  // namespace

int main() {
  racelens::Condition condition{nullptr, "condition"};  // default lock: an RLock, as Python
  racelens::Thread c1(racelens::ThreadOptions{.name = "c1"}, consumer, std::ref(condition));
  racelens::Thread c2(racelens::ThreadOptions{.name = "c2"}, consumer, std::ref(condition));
  racelens::Thread p(racelens::ThreadOptions{.name = "p"}, producer, std::ref(condition));
  c1.start();
  racelens::sleep(PAUSE);
  c2.start();
  racelens::sleep(PAUSE);
  p.start();
  c1.join();
  c2.join();
  p.join();
}
