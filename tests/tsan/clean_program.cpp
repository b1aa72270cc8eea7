// tests/tsan/clean_program.cpp — a correct program whose shared data are plain ints and vectors,
// ordered only by racelens primitives. Under ThreadSanitizer (the tsan preset) it must produce no
// TSan report: the primitives announce their synchronisation (primitives/tsan_annotations.hpp)
// or synchronise through operations TSan understands. Run with RACELENS_OPTIONS=detect=0, so no
// detector lock adds orderings of its own and hides a missing one.
#include <racelens/racelens.hpp>

#include <cstdio>
#include <memory>
#include <vector>

namespace {

constexpr int kThreads = 4;
constexpr int kRounds = 2000;

int lock_counter = 0;              // guarded by a Lock
int rlock_counter = 0;             // guarded by an RLock, taken twice
int semaphore_counter = 0;         // guarded by a Semaphore(1)
int condition_items = 0;           // guarded by a Condition's lock
int event_payload = 0;             // written before Event.set(), read after Event.wait()
int barrier_slots[kThreads] = {};  // written before Barrier.wait(), all read after
int joined_value = 0;              // written by a thread, read after join()

template <class F>
void RunThreads(F&& body) {
  std::vector<std::unique_ptr<racelens::Thread>> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.push_back(std::make_unique<racelens::Thread>([&body, t] { body(t); }));
  }
  for (auto& thread : threads) thread->start();
  for (auto& thread : threads) thread->join();
}

}  // namespace

int main() {
  racelens::Lock lock{"lock"};
  racelens::RLock rlock{"rlock"};
  racelens::Semaphore semaphore{1, "semaphore"};
  RunThreads([&](int) {
    for (int i = 0; i < kRounds; ++i) {
      {
        std::lock_guard guard(lock);
        ++lock_counter;
      }
      {
        std::lock_guard outer(rlock);
        std::lock_guard inner(rlock);
        ++rlock_counter;
      }
      semaphore.acquire();
      ++semaphore_counter;
      semaphore.release();
    }
  });

  // Condition: producers add items, consumers wait for them in a loop.
  racelens::Condition condition{nullptr, "condition"};
  RunThreads([&](int t) {
    for (int i = 0; i < kRounds / 10; ++i) {
      std::unique_lock guard(condition);
      if (t % 2 == 0) {
        ++condition_items;
        condition.notify();
      } else {
        condition.wait_for([] { return condition_items > 0; });
        --condition_items;
      }
    }
  });

  // Event: the writer's payload is visible to every waiter.
  racelens::Event event{"event"};
  racelens::Thread writer([&] {
    event_payload = 42;
    event.set();
  });
  std::vector<std::unique_ptr<racelens::Thread>> readers;
  int seen[kThreads] = {};
  for (int t = 0; t < kThreads; ++t) {
    readers.push_back(std::make_unique<racelens::Thread>([&, t] {
      event.wait();
      seen[t] = event_payload;
    }));
  }
  for (auto& r : readers) r->start();
  writer.start();
  writer.join();
  for (auto& r : readers) r->join();

  // Barrier: every slot written before the barrier is read by everyone after it.
  racelens::Barrier barrier{kThreads};
  int sums[kThreads] = {};
  RunThreads([&](int t) {
    barrier_slots[t] = t + 1;
    barrier.wait();
    for (int slot : barrier_slots) sums[t] += slot;
  });

  // Queue: items carry data written before put().
  racelens::Queue<int*> queue;
  std::vector<int> payloads(kRounds);
  int received = 0;
  racelens::Thread producer([&] {
    for (int i = 0; i < kRounds; ++i) {
      payloads[static_cast<std::size_t>(i)] = i;
      queue.put(&payloads[static_cast<std::size_t>(i)]);
    }
    queue.put(nullptr);
  });
  racelens::Thread consumer([&] {
    while (int* item = queue.get()) {
      received += *item;
      queue.task_done();
    }
    queue.task_done();
  });
  producer.start();
  consumer.start();
  queue.join();
  producer.join();
  consumer.join();

  racelens::Thread child([] { joined_value = 7; });
  child.start();
  child.join();

  std::printf("lock=%d rlock=%d semaphore=%d items=%d seen=%d sums=%d received=%d joined=%d\n",
              lock_counter, rlock_counter, semaphore_counter, condition_items, seen[0], sums[0],
              received, joined_value);
  const bool ok = lock_counter == kThreads * kRounds && rlock_counter == kThreads * kRounds &&
                  semaphore_counter == kThreads * kRounds && condition_items == 0 &&
                  seen[kThreads - 1] == 42 && sums[kThreads - 1] == 10 &&
                  received == kRounds * (kRounds - 1) / 2 && joined_value == 7;
  return ok ? 0 : 1;
}
