// tests/e2e/programs/future_race.cpp — reading a task's result without waiting for its future.
//
// Main submits a task that writes 'cache', then reads 'cache' at once instead of after
// result(). submit() orders what main did *before* it with the task, but nothing orders main's
// read after submit() with the task's write, so happens-before finds the race in every run,
// whichever runs first. Expected: data-race reports on 'cache' between the task (worker thread
// 'pool_0') and main, both accesses on SITE lines. Twin: future_result.

#include "racelens/futures.hpp"
#include "racelens/shared.hpp"

namespace {

racelens::Shared<int> cache{0, "cache"};

void compute() {
  cache.store(42);  // SITE: data-race write cache
}

}  // namespace

int main() {
  racelens::ThreadPoolExecutor executor(1, "pool");
  racelens::Future<void> done = executor.submit(compute);
  const int seen = cache.load();  // SITE: data-race read cache
  done.result();
  return seen == 42 || seen == 0 ? 0 : 1;
}
