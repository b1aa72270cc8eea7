// priority_queue.py: (priority, function, argument) items come out of a
// PriorityQueue smallest priority first.
//
//   def double(n):
//       return n * 2
//   def producer():
//       count = 0
//       while 1:
//           if count > 5:
//               break
//           pri = random.randint(0, 100)
//           print('put :{}'.format(pri))
//           q.put((pri, double, pri))  # (priority, func, args)
//           count += 1
//   def consumer():
//       while 1:
//           if q.empty():
//               break
//           pri, task, arg = q.get()
//           print('[PRI:{}] {} * 2 = {}'.format(pri, arg, task(arg)))
//           q.task_done()
//           time.sleep(0.1)
//   q = queue.PriorityQueue()
//   t = threading.Thread(target=producer); t.start()
//   time.sleep(1)
//   t = threading.Thread(target=consumer); t.start()
//
// The original waits a second for the producer; here the main thread joins it,
// which is what the sleep was for. The consumer checks the order it sees.
#include <racelens/queue.hpp>
#include <racelens/random.hpp>
#include <racelens/threading.hpp>

#include <cstdio>
#include <functional>

namespace {

struct Item {
  int pri;
  std::function<int(int)> task;
  int arg;
};
struct ByPriority {
  bool operator()(const Item& a, const Item& b) const { return a.pri < b.pri; }
};

racelens::PriorityQueue<Item, ByPriority> q;
bool in_order = true;  // only the consumer thread touches it, then main after join()

int double_(int n) { return n * 2; }  // `double` is a C++ keyword

void producer() {
  int count = 0;
  while (true) {
    if (count > 5) break;
    const int pri = racelens::randint(0, 100);
    std::printf("put :%d\n", pri);
    q.put({pri, double_, pri});  // (priority, func, args)
    count += 1;
  }
}

void consumer() {
  int last = -1;
  while (true) {
    if (q.empty()) break;
    Item item = q.get();
    std::printf("[PRI:%d] %d * 2 = %d\n", item.pri, item.arg, item.task(item.arg));
    in_order = in_order && item.pri >= last;
    last = item.pri;
    q.task_done();
    racelens::sleep(0.01);  // 0.1 in the original
  }
}

}  // namespace

int main() {
  racelens::Thread producer_thread(producer);
  producer_thread.start();
  producer_thread.join();
  racelens::Thread consumer_thread(consumer);
  consumer_thread.start();
  consumer_thread.join();
  return in_order ? 0 : 1;
}
