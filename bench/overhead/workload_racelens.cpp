// bench/overhead/workload_racelens.cpp — the synchronisation-heavy overhead workload written with
// racelens primitives (issue 3, item 8). workload_std.cpp is the same program written with the
// standard library; bench/run_overhead runs both and compares (docs/performance.md).
//
// Producers each do `iterations` steps of: `with lock: counter += 1` on a Shared<long>, then put
// the step number on a bounded Queue. Consumers get items until a sentinel (-1) and add each one
// to a Shared<long> total under the same lock. The main thread checks both sums at the end.
//
//   workload_racelens [producers=2] [consumers=2] [iterations=200000] [queue_size=1024]
#include <racelens/racelens.hpp>
#include <racelens/shared.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

namespace {

long Arg(int argc, char** argv, int index, long fallback) {
  return index < argc ? std::strtol(argv[index], nullptr, 10) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const long producers = Arg(argc, argv, 1, 2);
  const long consumers = Arg(argc, argv, 2, 2);
  const long iterations = Arg(argc, argv, 3, 200000);
  const long queue_size = Arg(argc, argv, 4, 1024);

  racelens::Lock lock{"lock"};
  racelens::Shared<long> counter{0, "counter"};
  racelens::Shared<long> total{0, "total"};
  racelens::Queue<long> queue(queue_size);

  std::vector<std::unique_ptr<racelens::Thread>> threads;
  for (long p = 0; p < producers; ++p) {
    threads.push_back(std::make_unique<racelens::Thread>([&] {
      for (long i = 0; i < iterations; ++i) {
        {
          std::lock_guard guard(lock);
          counter += 1;
        }
        queue.put(i);
      }
    }));
  }
  for (long c = 0; c < consumers; ++c) {
    threads.push_back(std::make_unique<racelens::Thread>([&] {
      for (;;) {
        const long item = queue.get();
        if (item < 0) return;
        std::lock_guard guard(lock);
        total += item;
      }
    }));
  }
  for (auto& t : threads) t->start();
  for (long p = 0; p < producers; ++p) threads[static_cast<std::size_t>(p)]->join();
  for (long c = 0; c < consumers; ++c) queue.put(-1);
  for (auto& t : threads) t->join();

  const long expected_total = producers * (iterations * (iterations - 1) / 2);
  if (counter.load() != producers * iterations || total.load() != expected_total) {
    std::fprintf(stderr, "wrong result: counter=%ld total=%ld\n", counter.load(), total.load());
    return 1;
  }
  std::printf("counter=%ld total=%ld\n", counter.load(), total.load());
  return 0;
}
