// Uses the installed racelens headers and library: threads, a lock and a queue.
#include <racelens/racelens.hpp>

#include <cstdio>
#include <deque>
#include <mutex>

int main() {
  racelens::Lock lock{"lock"};
  int counter = 0;
  racelens::Queue<int> queue;
  std::deque<racelens::Thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 1000; ++j) {
        std::lock_guard guard(lock);
        ++counter;
      }
      for (int j = 0; j < 25; ++j) queue.put(j);
    });
    threads.back().start();
  }
  for (auto& t : threads) t.join();
  std::printf("consumer: counter=%d items=%zu\n", counter, queue.qsize());
  return 0;
}
