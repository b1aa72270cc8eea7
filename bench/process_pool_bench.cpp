// process_pool_bench — the per-task overhead of the process pools (issue 4).
//
// Cases (10 000 trivial tasks each; bench/run_process_pool prints the medians in µs per task):
//
//   ProcessExecutor_Submit       ProcessPoolExecutor: submit() 10 000 calls, then result() of
//                                each future
//   ProcessExecutor_Map/<chunk>  ProcessPoolExecutor::map_with({.chunksize}) over 10 000 items
//   Pool_ApplyAsync              Pool: apply_async() 10 000 calls, then get() of each
//   Pool_Map/<chunk>             Pool::map(fn, items, chunksize) over 10 000 items
//   ThreadExecutor_Submit        context: the same as the first case on ThreadPoolExecutor
//
// Every pool has two workers (the machine's CPU count) and is created once per benchmark,
// outside the timed loop, and warmed up with one task (so forking is not timed). Each
// iteration checks the sum of the results. A task crosses two pipes each way (its call to the
// worker, its result back) through the pool's manager thread.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "racelens/futures.hpp"
#include "racelens/pool.hpp"
#include "racelens/process_executor.hpp"

namespace {

constexpr int kWorkers = 2;
constexpr std::int64_t kTasks = 10000;

std::int64_t Work(std::int64_t i) { return i * 2 + 1; }

void Check(benchmark::State& state, std::int64_t sum) {
  if (sum != kTasks * kTasks) state.SkipWithError("wrong sum");  // sum of 2i+1 for i < n
}

std::vector<std::int64_t> Items() {
  std::vector<std::int64_t> items(kTasks);
  for (std::int64_t i = 0; i < kTasks; ++i) items[static_cast<std::size_t>(i)] = i;
  return items;
}

void BM_ProcessExecutor_Submit(benchmark::State& state) {
  racelens::ProcessPoolExecutor executor(kWorkers);
  (void)executor.submit(Work, 0).result();
  std::vector<racelens::Future<std::int64_t>> futures;
  futures.reserve(kTasks);
  for (auto _ : state) {
    futures.clear();
    for (std::int64_t i = 0; i < kTasks; ++i) futures.push_back(executor.submit(Work, i));
    std::int64_t sum = 0;
    for (const auto& f : futures) sum += f.result();
    Check(state, sum);
  }
  state.SetItemsProcessed(state.iterations() * kTasks);
}

void BM_ProcessExecutor_Map(benchmark::State& state) {
  racelens::ProcessPoolExecutor executor(kWorkers);
  (void)executor.submit(Work, 0).result();
  const std::vector<std::int64_t> items = Items();
  const auto chunksize = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    std::int64_t sum = 0;
    for (std::int64_t r : executor.map_with({.chunksize = chunksize}, Work, items)) sum += r;
    Check(state, sum);
  }
  state.SetItemsProcessed(state.iterations() * kTasks);
}

void BM_Pool_ApplyAsync(benchmark::State& state) {
  racelens::Pool pool(kWorkers);
  (void)pool.apply(Work, 0);
  std::vector<racelens::AsyncResult<std::int64_t>> results;
  results.reserve(kTasks);
  for (auto _ : state) {
    results.clear();
    for (std::int64_t i = 0; i < kTasks; ++i) results.push_back(pool.apply_async(Work, i));
    std::int64_t sum = 0;
    for (const auto& r : results) sum += r.get();
    Check(state, sum);
  }
  state.SetItemsProcessed(state.iterations() * kTasks);
}

void BM_Pool_Map(benchmark::State& state) {
  racelens::Pool pool(kWorkers);
  (void)pool.apply(Work, 0);
  const std::vector<std::int64_t> items = Items();
  const auto chunksize = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    std::int64_t sum = 0;
    for (std::int64_t r : pool.map(Work, items, chunksize)) sum += r;
    Check(state, sum);
  }
  state.SetItemsProcessed(state.iterations() * kTasks);
}

void BM_ThreadExecutor_Submit(benchmark::State& state) {
  racelens::ThreadPoolExecutor executor(kWorkers);
  std::vector<racelens::Future<std::int64_t>> futures;
  futures.reserve(kTasks);
  for (auto _ : state) {
    futures.clear();
    for (std::int64_t i = 0; i < kTasks; ++i) futures.push_back(executor.submit(Work, i));
    std::int64_t sum = 0;
    for (const auto& f : futures) sum += f.result();
    Check(state, sum);
  }
  state.SetItemsProcessed(state.iterations() * kTasks);
}

}  // namespace

BENCHMARK(BM_ProcessExecutor_Submit)->Name("ProcessExecutor_Submit")->UseRealTime();
BENCHMARK(BM_ProcessExecutor_Map)->Name("ProcessExecutor_Map")->Arg(1)->Arg(100)->UseRealTime();
BENCHMARK(BM_Pool_ApplyAsync)->Name("Pool_ApplyAsync")->UseRealTime();
BENCHMARK(BM_Pool_Map)->Name("Pool_Map")->Arg(1)->Arg(100)->UseRealTime();
BENCHMARK(BM_ThreadExecutor_Submit)->Name("ThreadExecutor_Submit")->UseRealTime();

BENCHMARK_MAIN();
