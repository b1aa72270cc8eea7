// tests/instrument/stress_test.cpp — stress tests: many racelens threads hammering every
// primitive at once, with invariants checked along the way.
//
//   - Lock, RLock, Condition (as a lock), Semaphore(1): mutual exclusion — a plain int
//     incremented under the lock ends exact, and an atomic "inside" count never exceeds 1;
//     BoundedSemaphore(k) / Semaphore(k) never admit more than k.
//   - Queue, LifoQueue, PriorityQueue, SimpleQueue with several producers and consumers,
//     unbounded and bounded (small maxsize), blocking, timed and non-blocking: every item is
//     received exactly once; FIFO queues keep each producer's order; task_done()/join() agree.
//   - Event set/clear/wait storms terminate; Barrier reused for many generations, every thread
//     seeing the same generation count; Condition producer/consumer with wait_for.
//
// The plain ints are deliberately unsynchronised except through the primitive under test, so a
// ThreadSanitizer build (the tsan preset) also checks that racelens announces its
// synchronisation correctly. Sizes are kept small enough for TSan on two cores.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "racelens/racelens.hpp"

namespace racelens {
namespace {

#if defined(__SANITIZE_THREAD__)
constexpr bool kTsan = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr bool kTsan = true;
#else
constexpr bool kTsan = false;
#endif
#else
constexpr bool kTsan = false;
#endif

constexpr int kThreads = 8;
constexpr int kOps = 2000;

// Runs f(0) .. f(n-1) on n racelens threads and joins them.
void RunThreads(int n, const std::function<void(int)>& f) {
  std::deque<Thread> threads;
  for (int i = 0; i < n; ++i) threads.emplace_back(f, i);
  for (auto& t : threads) t.start();
  for (auto& t : threads) t.join();
}

// Tracks how many threads are inside a critical section at once.
class Occupancy {
 public:
  explicit Occupancy(int bound) : bound_(bound) {}
  void Enter() {
    const int now = inside_.fetch_add(1) + 1;
    if (now > bound_) violations_.fetch_add(1);
    int max = max_.load();
    while (now > max && !max_.compare_exchange_weak(max, now)) {
    }
  }
  void Leave() { inside_.fetch_sub(1); }
  int violations() const { return violations_.load(); }
  int max() const { return max_.load(); }

 private:
  const int bound_;
  std::atomic<int> inside_{0};
  std::atomic<int> max_{0};
  std::atomic<int> violations_{0};
};

// Each of kThreads threads enters the critical section kOps times through `with_lock`, which
// must call its argument while holding the lock.
template <class WithLock>
void CheckMutualExclusion(WithLock with_lock) {
  Occupancy occupancy(1);
  int counter = 0;  // guarded by the lock under test only
  RunThreads(kThreads, [&](int thread) {
    for (int i = 0; i < kOps; ++i) {
      with_lock(thread, i, [&] {
        occupancy.Enter();
        const int read = counter;
        counter = read + 1;  // a split read-then-write: lost updates show without exclusion
        occupancy.Leave();
      });
    }
  });
  EXPECT_EQ(counter, kThreads * kOps);
  EXPECT_EQ(occupancy.violations(), 0);
  EXPECT_EQ(occupancy.max(), 1);
}

// --- locks ----------------------------------------------------------------------------------

TEST(LockStress, AcquireRelease) {
  Lock lock;
  CheckMutualExclusion([&](int, int, auto&& critical) {
    ASSERT_TRUE(lock.acquire());
    critical();
    lock.release();
  });
  EXPECT_FALSE(lock.locked());
}

TEST(LockStress, MixedAcquisitionStyles) {
  Lock lock;
  CheckMutualExclusion([&](int thread, int i, auto&& critical) {
    switch ((thread + i) % 4) {
      case 0: {
        std::lock_guard with(lock);
        critical();
        break;
      }
      case 1:
        while (!lock.try_lock()) {
        }
        critical();
        lock.unlock();
        break;
      case 2:
        while (!lock.acquire(true, 0.001)) {
        }
        critical();
        lock.release();
        break;
      default:
        while (!lock.acquire(false)) {
        }
        critical();
        lock.release();
        break;
    }
  });
  EXPECT_FALSE(lock.locked());
}

TEST(LockStress, ReleasedByAnotherThread) {
  // A Lock has no owner: a thread may release a lock another thread acquired (a hand-off).
  Lock lock;
  Queue<int> handed;
  std::atomic<int> releases{0};
  constexpr int kRounds = kOps / 4;
  Thread releaser([&] {
    for (int i = 0; i < kRounds; ++i) {
      handed.get();
      lock.release();
      releases.fetch_add(1);
    }
  });
  releaser.start();
  for (int i = 0; i < kRounds; ++i) {
    lock.acquire();
    handed.put(i);
  }
  releaser.join();
  EXPECT_EQ(releases.load(), kRounds);
  EXPECT_FALSE(lock.locked());
}

TEST(RLockStress, RecursiveMutualExclusion) {
  RLock lock;
  std::atomic<int> bad_counts{0};
  CheckMutualExclusion([&](int, int i, auto&& critical) {
    const int depth = 1 + i % 3;
    for (int d = 0; d < depth; ++d) lock.acquire();
    if (lock.recursion_count() != depth || !lock.is_owned()) bad_counts.fetch_add(1);
    critical();
    for (int d = 0; d < depth; ++d) lock.release();
    if (lock.is_owned()) bad_counts.fetch_add(1);
  });
  EXPECT_EQ(bad_counts.load(), 0);
  EXPECT_FALSE(lock.locked());
}

TEST(RLockStress, GuardsAndTimedAcquire) {
  RLock lock;
  CheckMutualExclusion([&](int thread, int, auto&& critical) {
    if (thread % 2 == 0) {
      std::scoped_lock outer(lock);
      std::lock_guard inner(lock);
      critical();
    } else {
      while (!lock.try_lock_for(std::chrono::milliseconds(1))) {
      }
      critical();
      lock.unlock();
    }
  });
}

TEST(ConditionStress, DefaultConditionAsLock) {
  Condition cond;  // its own RLock
  CheckMutualExclusion([&](int, int, auto&& critical) {
    std::lock_guard with(cond);
    critical();
  });
}

TEST(ConditionStress, ConditionOverLockAsLock) {
  Lock lock;
  Condition cond(lock);
  CheckMutualExclusion([&](int thread, int, auto&& critical) {
    if (thread % 2 == 0) {
      std::lock_guard with(cond);
      critical();
    } else {
      std::lock_guard with(lock);  // the same lock, taken directly
      critical();
    }
  });
}

TEST(SemaphoreStress, BinarySemaphoreExcludes) {
  Semaphore sem(1);
  CheckMutualExclusion([&](int thread, int, auto&& critical) {
    if (thread % 2 == 0) {
      std::lock_guard with(sem);
      critical();
    } else {
      while (!sem.acquire(true, 0.001)) {
      }
      critical();
      sem.release();
    }
  });
  EXPECT_EQ(sem.value(), 1);
}

template <class Sem>
void CheckSemaphoreBound(int k) {
  Sem sem(k);
  Occupancy occupancy(k);
  std::atomic<int> entries{0};
  RunThreads(kThreads, [&](int thread) {
    for (int i = 0; i < kOps; ++i) {
      if ((thread + i) % 3 == 0) {
        while (!sem.acquire(false)) {
        }
      } else {
        ASSERT_TRUE(sem.acquire());
      }
      occupancy.Enter();
      entries.fetch_add(1);
      occupancy.Leave();
      sem.release();
    }
  });
  EXPECT_EQ(entries.load(), kThreads * kOps);
  EXPECT_EQ(occupancy.violations(), 0);
  EXPECT_LE(occupancy.max(), k);
  EXPECT_EQ(sem.value(), k);
}

TEST(SemaphoreStress, BoundedSemaphoreNeverExceedsBound) {
  CheckSemaphoreBound<BoundedSemaphore>(3);
}

TEST(SemaphoreStress, SemaphoreNeverExceedsBound) { CheckSemaphoreBound<Semaphore>(2); }

TEST(SemaphoreStress, ReleaseManyAcquireOne) {
  // Producers release(n) in batches, consumers acquire one at a time: every unit is taken once.
  Semaphore sem(0);
  constexpr int kBatch = 3;
  constexpr int kBatches = kOps / 4;
  constexpr int kProducers = kThreads / 2;
  constexpr int kConsumers = kThreads / 2;
  constexpr int kUnits = kProducers * kBatches * kBatch;
  static_assert(kUnits % kConsumers == 0);
  std::atomic<int> acquired{0};
  RunThreads(kProducers + kConsumers, [&](int thread) {
    if (thread < kProducers) {
      for (int i = 0; i < kBatches; ++i) sem.release(kBatch);
    } else {
      for (int i = 0; i < kUnits / kConsumers; ++i) {
        if (i % 2 == 0) {
          ASSERT_TRUE(sem.acquire());
        } else {
          while (!sem.acquire(true, 0.001)) {
          }
        }
        acquired.fetch_add(1);
      }
    }
  });
  EXPECT_EQ(acquired.load(), kUnits);
  EXPECT_EQ(sem.value(), 0);
}

// --- queues ---------------------------------------------------------------------------------

enum class Mode { kBlocking, kTimed, kNonBlocking };

struct QueueRun {
  int producers = 4;
  int consumers = 4;
  int per_producer = kOps;
  Mode put_mode = Mode::kBlocking;
  Mode get_mode = Mode::kBlocking;
  bool fifo = false;  // check each producer's items arrive in order at every consumer
};

// Producers put ids producer * per_producer + i; consumers claim a ticket before each get, so
// exactly `total` gets run and none waits for an item that never comes. Every id must be
// received exactly once.
template <class Q>
void RunQueue(Q& q, const QueueRun& run) {
  const int total = run.producers * run.per_producer;
  std::vector<std::atomic<int>> seen(total);
  std::atomic<int> tickets{0};
  std::atomic<int> out_of_order{0};
  std::atomic<int> full_retries{0};
  std::atomic<int> empty_retries{0};
  RunThreads(run.producers + run.consumers, [&](int thread) {
    if (thread < run.producers) {
      for (int i = 0; i < run.per_producer; ++i) {
        const int id = thread * run.per_producer + i;
        switch (run.put_mode) {
          case Mode::kBlocking:
            q.put(id);
            break;
          case Mode::kTimed:
            while (true) {
              try {
                q.put(id, true, 0.001);
                break;
              } catch (const Full&) {
                full_retries.fetch_add(1);
              }
            }
            break;
          case Mode::kNonBlocking:
            while (true) {
              try {
                q.put_nowait(id);
                break;
              } catch (const Full&) {
                full_retries.fetch_add(1);
                std::this_thread::yield();
              }
            }
            break;
        }
      }
      return;
    }
    std::vector<int> last(run.producers, -1);
    while (tickets.fetch_add(1) < total) {
      int id = -1;
      switch (run.get_mode) {
        case Mode::kBlocking:
          id = q.get();
          break;
        case Mode::kTimed:
          while (true) {
            try {
              id = q.get(true, 0.001);
              break;
            } catch (const Empty&) {
              empty_retries.fetch_add(1);
            }
          }
          break;
        case Mode::kNonBlocking:
          while (true) {
            try {
              id = q.get_nowait();
              break;
            } catch (const Empty&) {
              empty_retries.fetch_add(1);
              std::this_thread::yield();
            }
          }
          break;
      }
      ASSERT_GE(id, 0);
      ASSERT_LT(id, total);
      seen[id].fetch_add(1);
      const int producer = id / run.per_producer;
      if (run.fifo && id <= last[producer]) out_of_order.fetch_add(1);
      last[producer] = id;
    }
  });
  int missing = 0;
  int duplicated = 0;
  for (int id = 0; id < total; ++id) {
    if (seen[id].load() == 0) ++missing;
    if (seen[id].load() > 1) ++duplicated;
  }
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(duplicated, 0);
  EXPECT_EQ(out_of_order.load(), 0);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.qsize(), 0u);
}

TEST(QueueStress, UnboundedFifo) {
  Queue<int> q;
  RunQueue(q, {.fifo = true});
}

TEST(QueueStress, BoundedFifo) {
  Queue<int> q(2);
  RunQueue(q, {.per_producer = kOps / 2, .fifo = true});
}

TEST(QueueStress, BoundedFifoTimed) {
  Queue<int> q(3);
  RunQueue(
      q,
      {.per_producer = kOps / 4, .put_mode = Mode::kTimed, .get_mode = Mode::kTimed, .fifo = true});
}

TEST(QueueStress, BoundedFifoNonBlocking) {
  Queue<int> q(4);
  RunQueue(q, {.producers = 3,
               .consumers = 3,
               .per_producer = kOps / 4,
               .put_mode = Mode::kNonBlocking,
               .get_mode = Mode::kNonBlocking,
               .fifo = true});
}

TEST(QueueStress, ManyProducersOneConsumer) {
  Queue<int> q(5);
  RunQueue(q, {.producers = 7, .consumers = 1, .per_producer = kOps / 4, .fifo = true});
}

TEST(QueueStress, OneProducerManyConsumers) {
  Queue<int> q(5);
  RunQueue(q, {.producers = 1, .consumers = 7, .per_producer = kOps, .fifo = true});
}

TEST(LifoQueueStress, Unbounded) {
  LifoQueue<int> q;
  RunQueue(q, {});
}

TEST(LifoQueueStress, BoundedMixedModes) {
  LifoQueue<int> q(2);
  RunQueue(q, {.per_producer = kOps / 4, .put_mode = Mode::kTimed, .get_mode = Mode::kBlocking});
}

TEST(PriorityQueueStress, Unbounded) {
  PriorityQueue<int> q;
  RunQueue(q, {});
}

TEST(PriorityQueueStress, BoundedMixedModes) {
  PriorityQueue<int> q(3);
  RunQueue(q, {.per_producer = kOps / 4, .put_mode = Mode::kBlocking, .get_mode = Mode::kTimed});
}

TEST(PriorityQueueStress, ConcurrentPutsThenSortedDrain) {
  PriorityQueue<int, std::greater<int>> q;  // largest first
  constexpr int kPer = kOps / 4;
  RunThreads(kThreads, [&](int thread) {
    for (int i = 0; i < kPer; ++i) q.put(thread * kPer + i);
  });
  ASSERT_EQ(q.qsize(), static_cast<std::size_t>(kThreads * kPer));
  for (int expected = kThreads * kPer - 1; expected >= 0; --expected) {
    ASSERT_EQ(q.get_nowait(), expected);
  }
  EXPECT_TRUE(q.empty());
}

TEST(SimpleQueueStress, Blocking) {
  SimpleQueue<int> q;
  RunQueue(q, {.fifo = true});
}

TEST(SimpleQueueStress, TimedAndNonBlocking) {
  SimpleQueue<int> q;
  RunQueue(q, {.per_producer = kOps / 2, .get_mode = Mode::kTimed, .fifo = true});
  RunQueue(q, {.per_producer = kOps / 2, .get_mode = Mode::kNonBlocking, .fifo = true});
}

TEST(QueueStress, TaskDoneAndJoin) {
  // join() returns only once every item was processed, however the work is spread.
  Queue<int> q(4);
  constexpr int kProducers = 4;
  constexpr int kConsumers = 4;
  constexpr int kPer = kOps / 2;
  constexpr int kTotal = kProducers * kPer;
  std::atomic<int> processed{0};
  std::atomic<int> tickets{0};
  std::deque<Thread> consumers;
  for (int c = 0; c < kConsumers; ++c) {
    consumers.emplace_back([&] {
      while (tickets.fetch_add(1) < kTotal) {
        q.get();
        processed.fetch_add(1);
        q.task_done();
      }
    });
    consumers.back().start();
  }
  RunThreads(kProducers, [&](int p) {
    for (int i = 0; i < kPer; ++i) q.put(p * kPer + i);
  });
  // Every item is in: join() waits for the consumers to finish them, from two threads at once.
  std::atomic<int> early_joins{0};
  RunThreads(2, [&](int) {
    q.join();
    if (processed.load() != kTotal) early_joins.fetch_add(1);
  });
  EXPECT_EQ(early_joins.load(), 0);
  EXPECT_EQ(processed.load(), kTotal);
  for (auto& t : consumers) t.join();
}

// --- Event ----------------------------------------------------------------------------------

TEST(EventStress, SetClearWaitStormTerminates) {
  Event event;
  std::atomic<int> true_waits{0};
  RunThreads(kThreads, [&](int thread) {
    std::mt19937 rnd(thread);
    for (int i = 0; i < kOps; ++i) {
      switch (rnd() % 5) {
        case 0:
          event.set();
          break;
        case 1:
          event.clear();
          break;
        case 2:
          (void)event.is_set();
          break;
        case 3:
          if (event.wait(0)) true_waits.fetch_add(1);
          break;
        default:
          if (event.wait(0.0001)) true_waits.fetch_add(1);
          break;
      }
    }
  });
  // Whatever state the storm left: once set, every untimed waiter returns true.
  event.set();
  std::atomic<int> woken{0};
  RunThreads(kThreads, [&](int) {
    if (event.wait()) woken.fetch_add(1);
  });
  EXPECT_EQ(woken.load(), kThreads);
  EXPECT_TRUE(event.is_set());
}

TEST(EventStress, SetWakesEveryWaiterEachRound) {
  // Round after round, one thread sets the event while the others block in an untimed wait();
  // every wait returns true. Barriers separate the set, the waits and the clear.
  Event go;
  Barrier round(kThreads);
  constexpr int kRounds = kTsan ? 100 : 300;
  std::atomic<int> false_waits{0};
  std::atomic<int> woken{0};
  RunThreads(kThreads, [&](int thread) {
    for (int r = 0; r < kRounds; ++r) {
      round.wait();  // the previous clear() is done
      if (thread == 0) {
        go.set();
      } else if (go.wait()) {
        woken.fetch_add(1);
      } else {
        false_waits.fetch_add(1);
      }
      round.wait();  // every waiter returned
      if (thread == 0) go.clear();
    }
  });
  EXPECT_EQ(false_waits.load(), 0);
  EXPECT_EQ(woken.load(), (kThreads - 1) * kRounds);
  EXPECT_FALSE(go.is_set());
}

TEST(EventStress, ManyWaitersOneSet) {
  constexpr int kRounds = kTsan ? 20 : 50;
  for (int r = 0; r < kRounds; ++r) {
    Event event;
    std::atomic<int> woken{0};
    std::deque<Thread> waiters;
    for (int i = 0; i < kThreads; ++i) {
      waiters.emplace_back([&] {
        if (event.wait()) woken.fetch_add(1);
      });
      waiters.back().start();
    }
    event.set();
    for (auto& t : waiters) t.join();
    ASSERT_EQ(woken.load(), kThreads) << "round " << r;
  }
}

// --- Barrier --------------------------------------------------------------------------------

TEST(BarrierStress, ManyGenerations) {
  constexpr int kGenerations = kTsan ? 150 : 400;
  int generation = 0;  // written by the action only; read by every thread between waits
  Barrier barrier(kThreads, [&] { ++generation; });
  std::vector<std::array<std::atomic<int>, kThreads>> arrivals(kGenerations);
  std::atomic<int> wrong_generation{0};
  std::vector<int> last_seen(kThreads, -1);
  RunThreads(kThreads, [&](int thread) {
    for (int g = 0; g < kGenerations; ++g) {
      const std::ptrdiff_t index = barrier.wait();
      if (index < 0 || index >= kThreads) {
        wrong_generation.fetch_add(1000);
        continue;
      }
      arrivals[g][index].fetch_add(1);
      // The action ran once per generation before anyone was released, and the next one cannot
      // run before this thread arrives again.
      if (generation != g + 1) wrong_generation.fetch_add(1);
    }
    last_seen[thread] = generation;
  });
  EXPECT_EQ(wrong_generation.load(), 0);
  EXPECT_EQ(generation, kGenerations);
  for (int g = 0; g < kGenerations; ++g) {
    for (int i = 0; i < kThreads; ++i) {
      ASSERT_EQ(arrivals[g][i].load(), 1) << "generation " << g << " index " << i;
    }
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(last_seen[t], kGenerations);
  EXPECT_EQ(barrier.n_waiting(), 0);
  EXPECT_FALSE(barrier.broken());
}

TEST(BarrierStress, TimedWaitsAcrossGenerations) {
  constexpr int kParties = 4;
  constexpr int kGenerations = kTsan ? 100 : 300;
  Barrier barrier(kParties);
  std::atomic<int> passed{0};
  RunThreads(kParties, [&](int) {
    for (int g = 0; g < kGenerations; ++g) {
      barrier.wait(60.0);  // generous: a timeout here would break the barrier and fail the test
      passed.fetch_add(1);
    }
  });
  EXPECT_EQ(passed.load(), kParties * kGenerations);
  EXPECT_FALSE(barrier.broken());
}

// --- Condition ------------------------------------------------------------------------------

TEST(ConditionStress, ProducerConsumerWithWaitFor) {
  // One Condition (its default RLock) guards a bounded buffer; producers and consumers use
  // wait_for with notify_all, half of the consumers with a timeout.
  Condition cond;
  std::deque<int> buffer;  // guarded by cond
  int taken = 0;           // guarded by cond
  constexpr std::size_t kCapacity = 4;
  constexpr int kProducers = kThreads / 2;
  constexpr int kConsumers = kThreads / 2;
  constexpr int kPer = kOps / 2;
  constexpr int kTotal = kProducers * kPer;
  std::vector<std::atomic<int>> seen(kTotal);
  RunThreads(kProducers + kConsumers, [&](int thread) {
    if (thread < kProducers) {
      for (int i = 0; i < kPer; ++i) {
        std::lock_guard with(cond);
        cond.wait_for([&] { return buffer.size() < kCapacity; });
        buffer.push_back(thread * kPer + i);
        cond.notify_all();
      }
      return;
    }
    const bool timed = thread % 2 == 0;
    while (true) {
      std::lock_guard with(cond);
      auto ready = [&] { return !buffer.empty() || taken == kTotal; };
      if (timed) {
        while (!cond.wait_for(ready, 0.001)) {
        }
      } else {
        EXPECT_TRUE(cond.wait_for(ready));
      }
      if (buffer.empty()) return;  // taken == kTotal: all done
      seen[buffer.front()].fetch_add(1);
      buffer.pop_front();
      ++taken;
      cond.notify_all();
    }
  });
  EXPECT_EQ(taken, kTotal);
  EXPECT_TRUE(buffer.empty());
  for (int id = 0; id < kTotal; ++id) ASSERT_EQ(seen[id].load(), 1) << id;
}

TEST(ConditionStress, TwoConditionsOverOneLock) {
  // The classic bounded buffer: not_full and not_empty share a Lock; single notify() per
  // change. Consumers claim a ticket first, so every waiting consumer has an item coming.
  Lock lock;
  Condition not_full(lock);
  Condition not_empty(lock);
  std::deque<int> buffer;  // guarded by lock
  constexpr std::size_t kCapacity = 3;
  constexpr int kProducers = kThreads / 2;
  constexpr int kConsumers = kThreads / 2;
  constexpr int kPer = kOps / 2;
  constexpr int kTotal = kProducers * kPer;
  std::atomic<int> tickets{0};
  std::vector<std::atomic<int>> seen(kTotal);
  RunThreads(kProducers + kConsumers, [&](int thread) {
    if (thread < kProducers) {
      for (int i = 0; i < kPer; ++i) {
        std::lock_guard with(lock);
        not_full.wait_for([&] { return buffer.size() < kCapacity; });
        buffer.push_back(thread * kPer + i);
        not_empty.notify();
      }
      return;
    }
    while (tickets.fetch_add(1) < kTotal) {
      std::lock_guard with(lock);
      not_empty.wait_for([&] { return !buffer.empty(); });
      seen[buffer.front()].fetch_add(1);
      buffer.pop_front();
      not_full.notify();
    }
  });
  EXPECT_TRUE(buffer.empty());
  for (int id = 0; id < kTotal; ++id) ASSERT_EQ(seen[id].load(), 1) << id;
}

TEST(ConditionStress, NotifyCountsAndWaitTimeouts) {
  // Waiters use plain wait(timeout) in a loop around a counter; a notifier hands out permits
  // with notify(n). Every permit is consumed exactly once.
  Condition cond;
  int permits = 0;  // guarded by cond
  int consumed = 0;
  constexpr int kWaiters = kThreads - 1;
  constexpr int kPerWaiter = 2 * (kOps / 16);  // even: permits come in pairs
  RunThreads(kWaiters + 1, [&](int thread) {
    if (thread == kWaiters) {
      for (int i = 0; i < kWaiters * kPerWaiter; i += 2) {
        std::lock_guard with(cond);
        permits += 2;
        cond.notify(2);
      }
      return;
    }
    for (int i = 0; i < kPerWaiter; ++i) {
      std::lock_guard with(cond);
      while (permits == 0) cond.wait(0.001);
      --permits;
      ++consumed;
    }
  });
  EXPECT_EQ(consumed, kWaiters * kPerWaiter);
  EXPECT_EQ(permits, 0);
}

// --- threads --------------------------------------------------------------------------------

TEST(ThreadStress, ConcurrentThreadCreation) {
  // Several threads create, start and join short threads while another one enumerates.
  constexpr int kCreators = 4;
  constexpr int kChildren = kTsan ? 15 : 40;
  std::atomic<int> ran{0};
  std::atomic<bool> creating{true};
  std::atomic<int> enumerations{0};
  local<int> per_thread{0};
  Thread watcher([&] {
    while (creating.load()) {
      for (const ThreadHandle& h : enumerate()) (void)h.name();
      (void)active_count();
      enumerations.fetch_add(1);
      std::this_thread::yield();
    }
  });
  watcher.start();
  RunThreads(kCreators, [&](int) {
    for (int c = 0; c < kChildren; ++c) {
      Thread child([&] {
        *per_thread += 1;
        if (*per_thread == 1 && current_thread().is_alive()) ran.fetch_add(1);
      });
      child.start();
      child.join();
    }
  });
  creating = false;
  watcher.join();
  EXPECT_EQ(ran.load(), kCreators * kChildren);
  EXPECT_GT(enumerations.load(), 0);
}

TEST(TimerStress, CancelledTimersNeverFire) {
  constexpr int kTimers = 16;
  std::array<std::atomic<int>, kTimers> fired{};
  std::deque<Timer> timers;
  for (int i = 0; i < kTimers; ++i) {
    timers.emplace_back(0.0, [&fired, i] { fired[i].fetch_add(1); });
    if (i % 2 == 1) timers.back().cancel();
  }
  for (auto& t : timers) t.start();
  for (auto& t : timers) t.join();
  for (int i = 0; i < kTimers; ++i) EXPECT_EQ(fired[i].load(), i % 2 == 0 ? 1 : 0) << i;
}

}  // namespace
}  // namespace racelens
