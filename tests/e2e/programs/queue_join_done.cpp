// tests/e2e/programs/queue_join_done.cpp — the fixed twin of deadlock_queue_join: the consumer
// calls task_done() for every task (and for the sentinel), so join() returns and the program ends.
// Expected: no report.

#include "racelens/racelens.hpp"

namespace {

racelens::Queue<int> tasks{0, "tasks"};

void consume() {
  for (;;) {
    const int task = tasks.get();
    tasks.task_done();
    if (task < 0) return;
  }
}

}  // namespace

int main() {
  racelens::Thread consumer(racelens::ThreadOptions{.name = "consumer", .daemon = false}, consume);
  consumer.start();
  for (int task = 0; task < 3; ++task) tasks.put(task);
  tasks.join();
  tasks.put(-1);
  consumer.join();
  return 0;
}
