// primitives_bench — each racelens primitive beside its standard-library or
// oneTBB peer, under the same harness.
//
// Every benchmark is named `<Case>/<implementation>[/<Google Benchmark
// suffixes>]`; the racelens side is always `<Case>/racelens` and its peer is
// the one other implementation of the same case (bench/compare.py pairs them
// on that scheme):
//
//   Lock_Uncontended, Lock_Contended             racelens::Lock       vs std::mutex
//   RLock_Uncontended, RLock_Reentrant,
//   RLock_Contended                              racelens::RLock      vs std::recursive_mutex
//   Semaphore_Uncontended, Semaphore_Contended   racelens::Semaphore  vs std::counting_semaphore
//   Event_PingPong                               racelens::Event      vs condition_variable + turn
//   Queue_1P1C, Queue_4P4C                       racelens::Queue<int> vs
//                                                tbb::concurrent_bounded_queue<int>
//
// Latency benchmarks report time per operation (for the contended ones, with
// two threads, wall time divided by the operations of both threads).
// Throughput benchmarks (Event, Queue) report items_per_second: round trips
// for the ping-pong, items moved for the queues.
//
// Run with RACELENS_OPTIONS=detect=0 to measure the primitives alone, and
// detect=1 to add the runtime's hook dispatch.
#include <benchmark/benchmark.h>
#include <oneapi/tbb/concurrent_queue.h>

#include <atomic>
#include <barrier>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "racelens/event.hpp"
#include "racelens/lock.hpp"
#include "racelens/queue.hpp"
#include "racelens/rlock.hpp"
#include "racelens/semaphore.hpp"

namespace {

// --- locks: Lock, RLock (and std peers) ----------------------------------

// One lock + unlock per iteration on a lock no other thread touches.
template <class Mutex>
void BM_LockUnlock(benchmark::State& state) {
  Mutex mutex;
  for (auto _ : state) {
    mutex.lock();
    mutex.unlock();
  }
}

// Depth-2 re-entry: lock, lock, unlock, unlock per iteration.
template <class Mutex>
void BM_Reentrant(benchmark::State& state) {
  Mutex mutex;
  for (auto _ : state) {
    mutex.lock();
    mutex.lock();
    mutex.unlock();
    mutex.unlock();
  }
}

// Run with ->Threads(2): both threads hammer one lock around a one-increment
// critical section. The lock lives for the whole process (never destroyed),
// so no thread can see it die.
template <class Mutex>
void BM_LockContended(benchmark::State& state) {
  static Mutex* const mutex = new Mutex();
  static std::int64_t counter = 0;
  for (auto _ : state) {
    mutex->lock();
    ++counter;
    mutex->unlock();
  }
  benchmark::DoNotOptimize(counter);
}

// --- semaphores -----------------------------------------------------------

// acquire + release per iteration on a semaphore of value 1.
template <class Sem>
void BM_SemaphoreUncontended(benchmark::State& state) {
  Sem sem(1);
  for (auto _ : state) {
    sem.acquire();
    sem.release();
  }
}

// Run with ->Threads(2): both threads acquire + release one semaphore of
// value 1 (so at most one holds it) around a one-increment critical section.
template <class Sem>
void BM_SemaphoreContended(benchmark::State& state) {
  static Sem* const sem = new Sem(1);
  static std::int64_t counter = 0;
  for (auto _ : state) {
    sem->acquire();
    ++counter;
    sem->release();
  }
  benchmark::DoNotOptimize(counter);
}

// --- Event ping-pong -------------------------------------------------------

// One iteration = one round trip between the benchmark thread (A) and a
// partner thread (B). A: set e1, wait e2, clear e2. B: wait e1, clear e1,
// set e2. Strictly alternating, so no set() can be lost.
void BM_EventPingPong_racelens(benchmark::State& state) {
  racelens::Event ping;
  racelens::Event pong;
  std::atomic<bool> stop{false};
  std::thread partner([&] {
    for (;;) {
      ping.wait();
      ping.clear();
      if (stop.load(std::memory_order_relaxed)) return;
      pong.set();
    }
  });
  for (auto _ : state) {
    ping.set();
    pong.wait();
    pong.clear();
  }
  // The partner is waiting on `ping`: wake it one last time to let it leave.
  stop.store(true, std::memory_order_relaxed);
  ping.set();
  partner.join();
  state.SetItemsProcessed(state.iterations());
}

// The same round trip with one mutex, one condition variable and a turn
// variable: A hands the turn to B and waits to get it back.
void BM_EventPingPong_std(benchmark::State& state) {
  std::mutex mutex;
  std::condition_variable cv;
  enum class Turn { kA, kB, kStop } turn = Turn::kA;
  std::thread partner([&] {
    std::unique_lock lock(mutex);
    for (;;) {
      cv.wait(lock, [&] { return turn != Turn::kA; });
      if (turn == Turn::kStop) return;
      turn = Turn::kA;
      lock.unlock();
      cv.notify_one();
      lock.lock();
    }
  });
  for (auto _ : state) {
    {
      std::lock_guard lock(mutex);
      turn = Turn::kB;
    }
    cv.notify_one();
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return turn == Turn::kA; });
  }
  {
    std::lock_guard lock(mutex);
    turn = Turn::kStop;
  }
  cv.notify_one();
  partner.join();
  state.SetItemsProcessed(state.iterations());
}

// --- queues -----------------------------------------------------------------

struct RacelensQueue {
  racelens::Queue<int> q;  // maxsize 0: unbounded
  void Put(int v) { q.put(v); }
  int Get() { return q.get(); }
};

struct TbbQueue {
  tbb::concurrent_bounded_queue<int> q;  // default capacity: unbounded
  void Put(int v) { q.push(v); }
  int Get() {
    int v = 0;
    q.pop(v);
    return v;
  }
};

// Items each iteration moves through the queue, from `producers` threads to
// `consumers` threads.
constexpr int kQueueBatch = 1 << 16;

// One iteration = one batch of kQueueBatch items: every producer puts its
// share, every consumer gets its share (blocking when the queue is empty).
// The worker threads live for the whole run; two std::barriers start and end
// each batch (their cost is the same for both queues and small next to a
// batch).
template <class Q>
void BM_QueueBatch(benchmark::State& state, int producers, int consumers) {
  Q queue;
  const int parties = producers + consumers + 1;
  std::barrier start(parties);
  std::barrier done(parties);
  bool stop = false;  // written before `start` is passed, read after
  std::vector<std::thread> workers;
  for (int p = 0; p < producers; ++p) {
    workers.emplace_back([&, share = kQueueBatch / producers] {
      for (;;) {
        start.arrive_and_wait();
        if (stop) return;
        for (int i = 0; i < share; ++i) queue.Put(i);
        done.arrive_and_wait();
      }
    });
  }
  for (int c = 0; c < consumers; ++c) {
    workers.emplace_back([&, share = kQueueBatch / consumers] {
      std::int64_t sum = 0;
      for (;;) {
        start.arrive_and_wait();
        if (stop) break;
        for (int i = 0; i < share; ++i) sum += queue.Get();
        done.arrive_and_wait();
      }
      benchmark::DoNotOptimize(sum);
    });
  }
  for (auto _ : state) {
    start.arrive_and_wait();
    done.arrive_and_wait();
  }
  stop = true;
  start.arrive_and_wait();
  for (auto& t : workers) t.join();
  state.SetItemsProcessed(state.iterations() * kQueueBatch);
}

// --- registration -----------------------------------------------------------

void RegisterAll() {
  using benchmark::RegisterBenchmark;
  using RacelensSemaphore = racelens::Semaphore;
  using StdSemaphore = std::counting_semaphore<>;

  RegisterBenchmark("Lock_Uncontended/racelens", BM_LockUnlock<racelens::Lock>);
  RegisterBenchmark("Lock_Uncontended/std_mutex", BM_LockUnlock<std::mutex>);
  RegisterBenchmark("Lock_Contended/racelens", BM_LockContended<racelens::Lock>)
      ->Threads(2)
      ->UseRealTime();
  RegisterBenchmark("Lock_Contended/std_mutex", BM_LockContended<std::mutex>)
      ->Threads(2)
      ->UseRealTime();

  RegisterBenchmark("RLock_Uncontended/racelens", BM_LockUnlock<racelens::RLock>);
  RegisterBenchmark("RLock_Uncontended/std_recursive_mutex", BM_LockUnlock<std::recursive_mutex>);
  RegisterBenchmark("RLock_Reentrant/racelens", BM_Reentrant<racelens::RLock>);
  RegisterBenchmark("RLock_Reentrant/std_recursive_mutex", BM_Reentrant<std::recursive_mutex>);
  RegisterBenchmark("RLock_Contended/racelens", BM_LockContended<racelens::RLock>)
      ->Threads(2)
      ->UseRealTime();
  RegisterBenchmark("RLock_Contended/std_recursive_mutex", BM_LockContended<std::recursive_mutex>)
      ->Threads(2)
      ->UseRealTime();

  RegisterBenchmark("Semaphore_Uncontended/racelens", BM_SemaphoreUncontended<RacelensSemaphore>);
  RegisterBenchmark("Semaphore_Uncontended/std_counting_semaphore",
                    BM_SemaphoreUncontended<StdSemaphore>);
  RegisterBenchmark("Semaphore_Contended/racelens", BM_SemaphoreContended<RacelensSemaphore>)
      ->Threads(2)
      ->UseRealTime();
  RegisterBenchmark("Semaphore_Contended/std_counting_semaphore",
                    BM_SemaphoreContended<StdSemaphore>)
      ->Threads(2)
      ->UseRealTime();

  RegisterBenchmark("Event_PingPong/racelens", BM_EventPingPong_racelens)->UseRealTime();
  RegisterBenchmark("Event_PingPong/std_condition_variable", BM_EventPingPong_std)->UseRealTime();

  RegisterBenchmark("Queue_1P1C/racelens", BM_QueueBatch<RacelensQueue>, 1, 1)->UseRealTime();
  RegisterBenchmark("Queue_1P1C/tbb_concurrent_bounded_queue", BM_QueueBatch<TbbQueue>, 1, 1)
      ->UseRealTime();
  RegisterBenchmark("Queue_4P4C/racelens", BM_QueueBatch<RacelensQueue>, 4, 4)->UseRealTime();
  RegisterBenchmark("Queue_4P4C/tbb_concurrent_bounded_queue", BM_QueueBatch<TbbQueue>, 4, 4)
      ->UseRealTime();
}

}  // namespace

int main(int argc, char** argv) {
  const char* options = std::getenv("RACELENS_OPTIONS");
  benchmark::AddCustomContext("RACELENS_OPTIONS", options != nullptr ? options : "");
  // glibc (2.34+) skips the atomic instructions of pthread_mutex_lock/unlock
  // while a process has never started a second thread, so an "uncontended"
  // std::mutex measured first would time plain loads and stores — a state no
  // concurrent program is in. Start and join one thread first so every
  // benchmark runs in a multi-threaded process, whatever --benchmark_filter
  // selects. RACELENS_BENCH_SINGLE_THREADED=1 skips it, to measure that fast path.
  const char* single = std::getenv("RACELENS_BENCH_SINGLE_THREADED");
  const bool single_threaded = single != nullptr && std::string(single) == "1";
  if (!single_threaded) std::thread([] {}).join();
  benchmark::AddCustomContext("process", single_threaded ? "single-threaded until the first "
                                                           "multi-threaded benchmark"
                                                         : "multi-threaded");
  RegisterAll();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
