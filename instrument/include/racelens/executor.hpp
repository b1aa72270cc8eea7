// racelens/executor.hpp — concurrent.futures.ThreadPoolExecutor.
//
// Defines:
//   ThreadPoolExecutor   a pool of racelens worker threads running submitted calls
//   MapResult<R>         the lazily blocking range Executor.map returns
//
// ThreadPoolExecutor(max_workers = nullopt, thread_name_prefix = "")
//   max_workers defaults to min(32, cpu_count + 4) as CPython's (cpu_count is
//   the CPUs this process may run on); <= 0 raises ValueError("max_workers must
//   be greater than 0"). Workers are started on demand — a submission starts
//   one only when no worker is idle and fewer than max_workers exist — and are
//   reused. They are racelens threads named "<prefix>_<n>"; the default prefix
//   is "ThreadPoolExecutor-<k>" with k counting executors, so the first
//   executor's first worker is "ThreadPoolExecutor-0_0".
//
// submit(fn, args...) -> Future<R>
//   Queues fn(args...) (arguments are decay-copied, as std::thread does; pass
//   std::ref to share) and returns its future; the task's exception reaches
//   the caller through it. After shutdown() raises RuntimeError("cannot
//   schedule new futures after shutdown"), also reported as misuse; after the
//   program began to exit, RuntimeError("cannot schedule new futures after
//   interpreter shutdown").
// map(fn, ranges...) / map_timeout(timeout, fn, ranges...) -> MapResult<R>
//   Submits fn(a, b, ...) for the elements of the ranges taken in lockstep
//   (stopping at the shortest, as Python's zip) at once, and returns a range
//   that yields the results in input order, blocking for each. A failing
//   element rethrows its exception when reached; with a timeout (seconds from
//   the map call) an element not ready in time raises TimeoutError. Once
//   iteration began, an exception or destroying the range cancels the
//   futures not yet consumed (as closing Python's generator does); a result
//   range never iterated cancels nothing. fn returning void yields
//   std::monostate (Python's None).
// shutdown(wait = true, cancel_futures = false)
//   Refuses new tasks; workers run what is queued and exit. cancel_futures
//   cancels the tasks not yet started (their futures are CANCELLED and, unlike
//   CPython, also notified, so wait()/as_completed() on them return). wait
//   joins the workers. Calling it again is harmless. The destructor calls
//   shutdown(true).
// max_workers(), threads()   CPython's _max_workers and _threads, for tests
// idle_workers()             the workers not running a task (CPython's
//                            _idle_semaphore), for tests
//
// At program exit, executors still alive are shut down and their workers
// joined after the queued tasks ran (CPython's atexit hook).
//
// Happens-before: submit() -> the start of its task; the end of a task -> every
// observation of its future (future.hpp); shutdown(wait=true) -> after every
// task ran. Tasks are not ordered with each other by the executor.
//
// Blocking: a worker waiting for work, result(), wait(), as_completed() show
// in deadlock reports.
//
// Thread-safety: all members are thread-safe; a MapResult is iterated by one
// thread. Do not destroy the executor from one of its own tasks.
#pragma once

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <ranges>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "racelens/detail/deadline.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/detail/task_cell.hpp"
#include "racelens/detail/thread_pool_core.hpp"
#include "racelens/future.hpp"
#include "racelens/thread.hpp"

namespace racelens {

namespace detail {

// min(32, cpu_count + 4).
std::size_t DefaultExecutorWorkers();
// The CPUs this process may run on (os.process_cpu_count()).
std::size_t ProcessCpuCount();
// "ThreadPoolExecutor-<k>", k counting from 0.
std::string NextExecutorPrefix();
// Raises (and reports) the error of a refused submission.
[[noreturn]] void ThrowSubmitRefused(const void* executor, ThreadPoolCore::SubmitStatus status,
                                     Site site);

// A void result is Python's None.
template <class R>
using MapValue = std::conditional_t<std::is_void_v<R>, std::monostate, R>;

// Calls shared by the tasks of one map(): a small trivially copyable callable
// is copied into each task, anything else shared.
template <class F>
auto ShareCallable(F fn) {
  if constexpr (std::is_trivially_copyable_v<F> && sizeof(F) <= 2 * sizeof(void*)) {
    return fn;
  } else {
    return [shared = std::make_shared<F>(std::move(fn))](auto&&... args) -> decltype(auto) {
      return std::invoke(*shared, std::forward<decltype(args)>(args)...);
    };
  }
}

}  // namespace detail

template <class R>
class MapResult {
 public:
  using value_type = detail::MapValue<R>;

  class iterator {
   public:
    using value_type = detail::MapValue<R>;
    using difference_type = std::ptrdiff_t;
    using reference = value_type&;
    using iterator_category = std::input_iterator_tag;

    iterator() = default;
    reference operator*() const { return *owner_->current_; }
    value_type* operator->() const { return &*owner_->current_; }
    iterator& operator++() {
      owner_->Advance();
      if (!owner_->current_) owner_ = nullptr;
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, const iterator& b) { return a.owner_ == b.owner_; }

   private:
    friend class MapResult;
    explicit iterator(MapResult* owner) : owner_(owner) {}
    MapResult* owner_ = nullptr;  // null: the end
  };

  MapResult(std::vector<Future<R>> futures, double timeout)
      : futures_(std::move(futures)),
        timeout_(timeout),
        deadline_(detail::Deadline::After(timeout)) {}
  MapResult(MapResult&&) = default;
  MapResult& operator=(MapResult&&) = delete;
  MapResult(const MapResult&) = delete;
  ~MapResult() {
    if (started_) CancelFrom(next_);
  }

  // Starts the iteration: blocks for the first result.
  iterator begin() {
    if (!started_) {
      started_ = true;
      Advance();
    }
    return current_ ? iterator(this) : iterator();
  }
  iterator end() const { return iterator(); }

  // How many results are not consumed yet.
  std::size_t remaining() const { return futures_.size() - next_ + (current_ ? 1 : 0); }

 private:
  void Advance() {
    current_.reset();
    if (next_ == futures_.size()) return;
    Future<R> future = std::move(futures_[next_++]);
    try {
      double left = -1;
      if (timeout_ >= 0) {
        left = std::max(std::chrono::duration<double>(deadline_.left()).count(), 0.0);
      }
      future.result(left);
    } catch (...) {
      future.cancel();
      CancelFrom(next_);
      next_ = futures_.size();
      throw;
    }
    if constexpr (std::is_void_v<R>) {
      current_.emplace();
    } else {
      // The range holds the only handle left: the value can be moved out.
      current_.emplace(std::move(*future.cell()->value));
    }
  }

  void CancelFrom(std::size_t first) {
    for (std::size_t i = first; i < futures_.size(); ++i) futures_[i].cancel();
  }

  std::vector<Future<R>> futures_;
  std::size_t next_ = 0;
  bool started_ = false;
  std::optional<value_type> current_;
  double timeout_;
  detail::Deadline deadline_;
};

class ThreadPoolExecutor {
 public:
  explicit ThreadPoolExecutor(std::optional<int> max_workers = std::nullopt,
                              std::string thread_name_prefix = "");
  ThreadPoolExecutor(const ThreadPoolExecutor&) = delete;
  ThreadPoolExecutor& operator=(const ThreadPoolExecutor&) = delete;
  ~ThreadPoolExecutor();

  template <class F, class... Args>
    requires std::invocable<std::decay_t<F>, std::decay_t<Args>...>
  [[nodiscard]] RACELENS_NOINLINE auto submit(F&& fn, Args&&... args)
      -> Future<std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>> {
    using R = std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>;
    auto task =
        [fn = std::decay_t<F>(std::forward<F>(fn)),
         args = std::tuple<std::decay_t<Args>...>(std::forward<Args>(args)...)]() mutable -> R {
      return std::apply(std::move(fn), std::move(args));
    };
    auto [future, item] = detail::MakeTask<R>(std::move(task));
    Enqueue(std::move(item), RACELENS_SITE());
    return future;
  }

  template <class F, std::ranges::input_range... Rs>
    requires(sizeof...(Rs) >= 1 && std::invocable<F&, std::ranges::range_value_t<Rs> && ...>)
  [[nodiscard]] auto map(F fn, Rs&&... ranges)
      -> MapResult<std::invoke_result_t<F&, std::ranges::range_value_t<Rs>&&...>> {
    return map_timeout(-1, std::move(fn), std::forward<Rs>(ranges)...);
  }

  template <class F, std::ranges::input_range... Rs>
    requires(sizeof...(Rs) >= 1 && std::invocable<F&, std::ranges::range_value_t<Rs> && ...>)
  [[nodiscard]] RACELENS_NOINLINE auto map_timeout(double timeout, F fn, Rs&&... ranges)
      -> MapResult<std::invoke_result_t<F&, std::ranges::range_value_t<Rs>&&...>> {
    using R = std::invoke_result_t<F&, std::ranges::range_value_t<Rs>&&...>;
    const detail::Site site = RACELENS_SITE();
    auto shared = detail::ShareCallable(std::move(fn));
    std::vector<Future<R>> futures;
    if constexpr (sizeof...(Rs) == 1 && (std::ranges::sized_range<Rs> && ...)) {
      futures.reserve(static_cast<std::size_t>((std::ranges::size(ranges), ...)));
    }
    auto its = std::make_tuple(std::ranges::begin(ranges)...);
    const auto ends = std::make_tuple(std::ranges::end(ranges)...);
    const auto at_end = [&]<std::size_t... I>(std::index_sequence<I...>) {
      return ((std::get<I>(its) == std::get<I>(ends)) || ...);
    };
    const auto take = [&]<std::size_t... I>(std::index_sequence<I...>) {
      std::tuple<std::ranges::range_value_t<Rs>...> args(*std::get<I>(its)...);
      (++std::get<I>(its), ...);
      return args;
    };
    constexpr auto kIndices = std::index_sequence_for<Rs...>{};
    // Over multi-pass ranges (containers, views) tasks are queued a batch at a
    // time. A single-pass input (a generator) may wait for earlier tasks to
    // progress, so each of its tasks is queued as soon as its input is read, as
    // CPython does. Either way the submit edge is released per item, before the
    // next input is read.
    constexpr std::size_t kBatch = (std::ranges::forward_range<Rs> && ...) ? kMapBatch : 1;
    std::vector<std::shared_ptr<detail::WorkItem>> batch;
    batch.reserve(kBatch);
    while (!at_end(kIndices)) {
      auto task = [shared, args = take(kIndices)]() mutable -> R {
        return std::apply(shared, std::move(args));
      };
      auto [future, item] = detail::MakeTask<R>(std::move(task));
      core_->MarkSubmitted(*item, site);
      futures.push_back(std::move(future));
      batch.push_back(std::move(item));
      if (batch.size() == kBatch) EnqueueAll(batch, site);
    }
    if (!batch.empty()) EnqueueAll(batch, site);
    return MapResult<R>(std::move(futures), timeout);
  }

  void shutdown(bool wait = true, bool cancel_futures = false);

  std::size_t max_workers() const noexcept { return core_->max_workers(); }
  std::vector<ThreadHandle> threads() const { return core_->Threads(); }
  // Workers not running a task (CPython's _idle_semaphore value), for tests.
  std::size_t idle_workers() const { return core_->FreeWorkers(); }

 private:
  void Enqueue(std::shared_ptr<detail::WorkItem> item, detail::Site site) {
    const auto status = core_->Submit(std::move(item), site);
    if (status != detail::ThreadPoolCore::SubmitStatus::kQueued) {
      detail::ThrowSubmitRefused(this, status, site);
    }
  }

  void EnqueueAll(std::vector<std::shared_ptr<detail::WorkItem>>& items, detail::Site site) {
    const auto status = core_->SubmitAll(items);
    if (status != detail::ThreadPoolCore::SubmitStatus::kQueued) {
      detail::ThrowSubmitRefused(this, status, site);
    }
  }

  static constexpr std::size_t kMapBatch = 64;
  std::shared_ptr<detail::ThreadPoolCore> core_;
};

}  // namespace racelens
