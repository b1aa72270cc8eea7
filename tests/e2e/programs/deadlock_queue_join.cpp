// tests/e2e/programs/deadlock_queue_join.cpp — Queue.join() whose consumer forgets task_done().
//
// The consumer takes the three tasks but never calls task_done(), so main's join() waits forever
// and the consumer waits in get() for a fourth task that never comes: every live thread is blocked
// with no timeout pending. After deadlock_timeout the runtime reports a deadlock listing both
// blocking calls (a `blocking-call` SITE line each) and exits with the report exit code instead of
// hanging — in every run, since the hang does not depend on the interleaving. Twin:
// queue_join_done.

#include "racelens/racelens.hpp"

namespace {

racelens::Queue<int> tasks{0, "tasks"};

void consume() {
  for (;;) {
    const int task = tasks.get();  // SITE: deadlock blocking-call tasks
    if (task < 0) return;
    // Missing: tasks.task_done();
  }
}

}  // namespace

int main() {
  racelens::Thread consumer(racelens::ThreadOptions{.name = "consumer", .daemon = false}, consume);
  consumer.start();
  for (int task = 0; task < 3; ++task) tasks.put(task);
  tasks.join();  // SITE: deadlock blocking-call tasks
  tasks.put(-1);
  consumer.join();
  return 0;
}
