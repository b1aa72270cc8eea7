// A Queue.join() that never returns: the worker forgets task_done().
//
//   q = queue.Queue()
//   def worker():
//       while True:
//           item = q.get()
//           print('working on', item)
//           # q.task_done() forgotten
//   threading.Thread(target=worker, daemon=True).start()
//   for item in range(3):
//       q.put(item)
//   q.join()  # blocks forever
//   print('all work completed')
//
// In Python this hangs. racelens sees every thread blocked with no timeout
// pending and, after deadlock_timeout seconds, reports a deadlock with each
// thread's blocking call and ends the program.
#include <racelens/queue.hpp>
#include <racelens/threading.hpp>

#include <cstdio>

namespace {

racelens::Queue<int> q;

void worker() {
  while (true) {
    const int item = q.get();
    std::printf("working on %d\n", item);
    std::fflush(stdout);
    // q.task_done() forgotten
  }
}

}  // namespace

int main() {
  racelens::Thread t(racelens::ThreadOptions{.daemon = true}, worker);
  t.start();
  for (int item = 0; item < 3; ++item) q.put(item);
  q.join();  // blocks forever
  std::printf("all work completed\n");
}
