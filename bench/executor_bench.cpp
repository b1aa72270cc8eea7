// executor_bench — ThreadPoolExecutor beside oneTBB's task_group and asio::thread_pool (issue 4).
//
// Two cases, each named `<Case>/<implementation>` (bench/run_executor compares them):
//
//   SubmitResult_100k  submit 100 000 trivial tasks, then collect every result:
//                      racelens: submit() -> Future<int>, then result() of each future;
//                      tbb:      task_group::run writing results[i], then wait();
//                      asio:     post() writing results[i] and counting down a std::latch,
//                                then latch.wait().
//   Map_1M             the same over 1 000 000 items: racelens uses ThreadPoolExecutor::map and
//                      iterates the results; the peers run one task per item as above.
//
// Context (not a peer for the target): `ctx_asio_future` posts a std::packaged_task per item to
// the asio pool and collects the std::futures — what a future per task costs in plain C++.
//
// Every pool has two worker threads (the machine's CPU count) and is created once per
// benchmark, outside the timed loop; TBB's wait() also lets the calling thread run tasks (its
// default arena has two slots). Each iteration checks the sum of the results.
//
// Run with RACELENS_OPTIONS=detect=0 to measure the executor alone, detect=1 to add the
// runtime's hooks and the detector.
#include <benchmark/benchmark.h>
#include <oneapi/tbb/task_group.h>
#include <asio/post.hpp>
#include <asio/thread_pool.hpp>

#include <cstdint>
#include <cstdlib>
#include <future>
#include <latch>
#include <vector>

#include "racelens/futures.hpp"

namespace {

constexpr int kWorkers = 2;

inline std::int64_t Work(std::int64_t i) { return i * 2 + 1; }

std::int64_t Expected(std::int64_t n) { return n * n; }  // sum of 2i+1 for i < n

void Check(benchmark::State& state, std::int64_t sum, std::int64_t n) {
  if (sum != Expected(n)) state.SkipWithError("wrong sum");
}

void BM_Racelens_Submit(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  racelens::ThreadPoolExecutor executor(kWorkers);
  std::vector<racelens::Future<std::int64_t>> futures;
  futures.reserve(static_cast<std::size_t>(n));
  for (auto _ : state) {
    futures.clear();
    for (std::int64_t i = 0; i < n; ++i) futures.push_back(executor.submit(Work, i));
    std::int64_t sum = 0;
    for (const auto& f : futures) sum += f.result();
    Check(state, sum, n);
  }
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_Racelens_Map(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  racelens::ThreadPoolExecutor executor(kWorkers);
  std::vector<std::int64_t> items(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) items[static_cast<std::size_t>(i)] = i;
  for (auto _ : state) {
    std::int64_t sum = 0;
    for (std::int64_t r : executor.map(Work, items)) sum += r;
    Check(state, sum, n);
  }
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_Tbb(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  std::vector<std::int64_t> results(static_cast<std::size_t>(n));
  tbb::task_group group;
  for (auto _ : state) {
    for (std::int64_t i = 0; i < n; ++i) {
      group.run([&results, i] { results[static_cast<std::size_t>(i)] = Work(i); });
    }
    group.wait();
    std::int64_t sum = 0;
    for (std::int64_t r : results) sum += r;
    Check(state, sum, n);
  }
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_Asio(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  std::vector<std::int64_t> results(static_cast<std::size_t>(n));
  asio::thread_pool pool(kWorkers);
  for (auto _ : state) {
    std::latch done(n);
    for (std::int64_t i = 0; i < n; ++i) {
      asio::post(pool, [&results, &done, i] {
        results[static_cast<std::size_t>(i)] = Work(i);
        done.count_down();
      });
    }
    done.wait();
    std::int64_t sum = 0;
    for (std::int64_t r : results) sum += r;
    Check(state, sum, n);
  }
  state.SetItemsProcessed(state.iterations() * n);
  pool.join();
}

void BM_AsioFuture(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  asio::thread_pool pool(kWorkers);
  std::vector<std::future<std::int64_t>> futures;
  futures.reserve(static_cast<std::size_t>(n));
  for (auto _ : state) {
    futures.clear();
    for (std::int64_t i = 0; i < n; ++i) {
      std::packaged_task<std::int64_t()> task([i] { return Work(i); });
      futures.push_back(task.get_future());
      asio::post(pool, std::move(task));
    }
    std::int64_t sum = 0;
    for (auto& f : futures) sum += f.get();
    Check(state, sum, n);
  }
  state.SetItemsProcessed(state.iterations() * n);
  pool.join();
}

constexpr std::int64_t k100k = 100'000;
constexpr std::int64_t k1M = 1'000'000;

BENCHMARK(BM_Racelens_Submit)
    ->Name("SubmitResult_100k/racelens")
    ->Arg(k100k)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Tbb)
    ->Name("SubmitResult_100k/tbb")
    ->Arg(k100k)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Asio)
    ->Name("SubmitResult_100k/asio")
    ->Arg(k100k)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AsioFuture)
    ->Name("SubmitResult_100k/ctx_asio_future")
    ->Arg(k100k)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Racelens_Map)
    ->Name("Map_1M/racelens")
    ->Arg(k1M)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Tbb)->Name("Map_1M/tbb")->Arg(k1M)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Asio)->Name("Map_1M/asio")->Arg(k1M)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
