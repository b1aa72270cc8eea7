// bench/overhead/workload_std.cpp — workload_racelens.cpp written with the standard library only:
// std::thread, std::mutex, a plain long, and the bounded blocking queue a C++ programmer writes
// for Python's queue.Queue (a deque, a mutex and two condition variables). bench/run_overhead
// runs it as built and under -fsanitize=thread (the overhead_std_tsan target).
//
//   workload_std [producers=2] [consumers=2] [iterations=200000] [queue_size=1024]
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace {

long Arg(int argc, char** argv, int index, long fallback) {
  return index < argc ? std::strtol(argv[index], nullptr, 10) : fallback;
}

class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) {}

  void put(long item) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(item);
    lock.unlock();
    not_empty_.notify_one();
  }

  long get() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty(); });
    const long item = items_.front();
    items_.pop_front();
    lock.unlock();
    not_full_.notify_one();
    return item;
  }

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<long> items_;
};

}  // namespace

int main(int argc, char** argv) {
  const long producers = Arg(argc, argv, 1, 2);
  const long consumers = Arg(argc, argv, 2, 2);
  const long iterations = Arg(argc, argv, 3, 200000);
  const long queue_size = Arg(argc, argv, 4, 1024);

  std::mutex lock;
  long counter = 0;
  long total = 0;
  BoundedQueue queue(static_cast<std::size_t>(queue_size));

  std::vector<std::thread> threads;
  for (long p = 0; p < producers; ++p) {
    threads.emplace_back([&] {
      for (long i = 0; i < iterations; ++i) {
        {
          std::lock_guard guard(lock);
          counter += 1;
        }
        queue.put(i);
      }
    });
  }
  for (long c = 0; c < consumers; ++c) {
    threads.emplace_back([&] {
      for (;;) {
        const long item = queue.get();
        if (item < 0) return;
        std::lock_guard guard(lock);
        total += item;
      }
    });
  }
  for (long p = 0; p < producers; ++p) threads[static_cast<std::size_t>(p)].join();
  for (long c = 0; c < consumers; ++c) queue.put(-1);
  for (std::size_t c = static_cast<std::size_t>(producers); c < threads.size(); ++c)
    threads[c].join();

  const long expected_total = producers * (iterations * (iterations - 1) / 2);
  if (counter != producers * iterations || total != expected_total) {
    std::fprintf(stderr, "wrong result: counter=%ld total=%ld\n", counter, total);
    return 1;
  }
  std::printf("counter=%ld total=%ld\n", counter, total);
  return 0;
}
