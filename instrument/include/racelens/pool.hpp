// racelens/pool.hpp — multiprocessing.Pool, multiprocessing.pool.ThreadPool,
// multiprocessing.dummy.Pool.
//
// Defines:
//   Pool                        a fixed set of forked worker processes (multiprocessing.Pool)
//   ThreadPool                  a fixed set of worker threads (multiprocessing.pool.ThreadPool)
//   dummy::Pool                 = ThreadPool (multiprocessing.dummy.Pool)
//   PoolResults<V>              the lazily blocking range imap/imap_unordered return
//   detail::BasicPool<Backend>  the interface both share
//
// Pool(processes = nullopt)
//   The same interface and errors as ThreadPool below, over `processes` worker
//   processes forked at once by the pool's manager thread ("Pool-<k>_manager").
//   As for ProcessPoolExecutor (process_executor.hpp): the callable must be a
//   function pointer or a captureless lambda, and items, arguments and results
//   Serialisable — a compile-time error otherwise; a task that throws raises
//   ProcessError("<type name>: <what()>") from get()/map. terminate() (and the
//   destructor) kills the workers at once, as CPython's: the tasks running
//   then raise CancelledError, the queued ones are cancelled. close() + join()
//   runs everything queued first. pids() lists the workers.
//   A worker that dies (a signal, _exit, a crash) breaks the pool: every
//   unfinished result raises BrokenProcessPool("A process in the process pool
//   was terminated abruptly while the future was running or pending."), and
//   later submissions raise BrokenProcessPool. (CPython's Pool replaces the
//   worker and the lost task never completes: its get() hangs. racelens fails
//   it instead, as ProcessPoolExecutor does.) No worker outlives the pool or
//   the parent, and every one is reaped.
//   Happens-before: a submission -> the get()/wait()/ready() that sees its
//   result, in the parent (the task runs in another process).
//
// ThreadPool(processes = nullopt)
//   Starts `processes` workers at once (default: the CPUs this process may run
//   on); < 1 raises ValueError("Number of processes must be at least 1").
//   Workers are racelens threads named "ThreadPool-<k>_<n>".
//
//   apply(fn, args...)              apply_async(fn, args...).get()
//   apply_async(fn, args...)        queues fn(args...) -> AsyncResult<R> (async_result.hpp)
//   map(fn, items, chunksize=0)     std::vector of fn(item) in input order; blocks. Items go
//                                   to the workers in chunks (0: CPython's default,
//                                   ceil(len / (4 * workers))); a failing item rethrows its
//                                   exception (the first failing chunk in input order)
//   starmap(fn, tuples, chunksize=0)  map with std::apply(fn, tuple)
//   imap(fn, items, chunksize=1)    PoolResults in input order, blocking per element
//   imap_unordered(fn, items, chunksize=1)  PoolResults in completion order (per chunk)
//   close()       no more tasks; workers exit once the queued tasks ran
//   terminate()   no more tasks; tasks not started are dropped (their results raise
//                 CancelledError); waits for the running ones and joins the workers
//   join()        waits for the workers to exit; ValueError("Pool is still running") before
//                 close()/terminate()
//   Using a pool after close()/terminate() raises ValueError("Pool not running"); both this
//   and join() while running are also reported as misuse.
//   The destructor calls terminate(), as leaving Python's `with Pool(...)` block does.
//   fn returning void yields std::monostate (Python's None) in map/imap results.
//
// Happens-before: apply_async/map/... -> the start of each task; the end of a task ->
// the get()/wait()/ready() that sees it, and -> map's return and each imap element.
//
// Thread-safety: all members are thread-safe; a PoolResults is iterated by one thread.
// Callbacks of apply_async/map_async and map_async itself are not provided.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <ranges>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "racelens/async_result.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/detail/process_pool_core.hpp"
#include "racelens/detail/task_cell.hpp"
#include "racelens/detail/thread_pool_core.hpp"
#include "racelens/errors.hpp"
#include "racelens/executor.hpp"
#include "racelens/future.hpp"
#include "racelens/future_wait.hpp"
#include "racelens/process_executor.hpp"
#include "racelens/thread.hpp"

namespace racelens {

// The elements of imap/imap_unordered, pulled chunk by chunk.
template <class V>
class PoolResults {
 public:
  using value_type = V;

  class iterator {
   public:
    using value_type = V;
    using difference_type = std::ptrdiff_t;
    using reference = V&;
    using iterator_category = std::input_iterator_tag;

    iterator() = default;
    reference operator*() const { return *owner_->current_; }
    V* operator->() const { return &*owner_->current_; }
    iterator& operator++() {
      if (!owner_->Advance()) owner_ = nullptr;
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, const iterator& b) { return a.owner_ == b.owner_; }

   private:
    friend class PoolResults;
    explicit iterator(PoolResults* owner) : owner_(owner) {}
    PoolResults* owner_ = nullptr;  // null: the end
  };

  PoolResults(std::vector<Future<std::vector<V>>> chunks, bool ordered)
      : chunks_(std::move(chunks)) {
    if (!ordered) unordered_.emplace(as_completed(chunks_));
  }
  PoolResults(PoolResults&&) = default;

  // Starts the iteration: blocks for the first element.
  iterator begin() { return Advance() ? iterator(this) : iterator(); }
  iterator end() const { return iterator(); }

 private:
  bool Advance() {
    current_.reset();
    while (pos_ == buffer_.size()) {
      std::optional<Future<std::vector<V>>> chunk = NextChunk();
      if (!chunk) return false;
      buffer_ = std::move(*chunk->cell()->value);  // result() passed: the value is there
      pos_ = 0;
    }
    current_.emplace(std::move(buffer_[pos_++]));
    return true;
  }

  std::optional<Future<std::vector<V>>> NextChunk() {
    if (unordered_) {
      if (!started_) {
        started_ = true;
        it_ = unordered_->begin();
      } else if (it_ != unordered_->end()) {
        ++it_;
      }
      if (it_ == unordered_->end()) return std::nullopt;
      Future<std::vector<V>> f = *it_;
      f.result();  // rethrows the chunk's exception
      return f;
    }
    if (next_ == chunks_.size()) return std::nullopt;
    Future<std::vector<V>> f = std::move(chunks_[next_++]);
    f.result();
    return f;
  }

  std::vector<Future<std::vector<V>>> chunks_;
  std::size_t next_ = 0;
  std::optional<AsCompleted<std::vector<V>>> unordered_;
  typename AsCompleted<std::vector<V>>::iterator it_;
  bool started_ = false;
  std::vector<V> buffer_;
  std::size_t pos_ = 0;
  std::optional<V> current_;
};

namespace detail {

// Raises (and reports) ValueError("Pool not running") / ("Pool is still running").
[[noreturn]] void ThrowPoolNotRunning(const void* pool, Site site);
[[noreturn]] void ThrowPoolStillRunning(const void* pool, Site site);
std::size_t CheckedPoolSize(std::optional<int> processes);
std::string NextThreadPoolPrefix();
std::string NextProcessPoolName();

// Runs a pool's tasks on racelens threads. A backend turns a call or a chunk
// of items into a task and returns its future; ProcessPoolBackend provides
// the same members for worker processes.
class ThreadPoolBackend {
 public:
  explicit ThreadPoolBackend(std::size_t workers)
      : core_(ThreadPoolCore::Create({.max_workers = workers,
                                      .name_prefix = NextThreadPoolPrefix(),
                                      .on_demand = false,
                                      .join_at_exit = false})) {}

  // The callable shared by the chunks of one map.
  template <class F>
  static auto Share(F fn) {
    return ShareCallable(std::move(fn));
  }
  // fn(args...), `args` a tuple.
  template <class R, class Fn, class Args>
  Future<R> SubmitCall(Fn fn, Args args, Site site) {
    auto task = [fn = std::move(fn), args = std::move(args)]() mutable -> R {
      return std::apply(std::move(fn), std::move(args));
    };
    return Submit<R>(std::move(task), site);
  }
  // fn over the items of `part` (std::apply(fn, item) with kStar).
  template <bool kStar, class Fn, class Item>
  auto SubmitChunk(Fn fn, std::vector<Item> part, Site site) {
    using V = ProcessValue<ChunkResult<kStar, Fn, Item>>;
    auto task = [fn = std::move(fn), part = std::move(part)]() mutable {
      return RunChunk<kStar>(fn, part);
    };
    return Submit<std::vector<V>>(std::move(task), site);
  }
  // No more tasks; with `drop_queued` the tasks not started are cancelled. Joins.
  void Stop(bool drop_queued) { core_->Shutdown(true, drop_queued); }
  std::size_t size() const { return core_->max_workers(); }
  std::vector<ThreadHandle> threads() const { return core_->Threads(); }

 private:
  template <class R, class Fn>
  Future<R> Submit(Fn fn, Site site) {
    auto [future, item] = MakeTask<R>(std::move(fn));
    core_->Submit(std::move(item), site);  // the pool checked its state first
    return future;
  }

  std::shared_ptr<ThreadPoolCore> core_;
};

// Runs a Pool's tasks in forked worker processes (process_pool_core.hpp).
// A callable must be a function pointer or a captureless lambda and the items,
// arguments and results Serialisable, as for ProcessPoolExecutor; anything
// else fails to compile with a message saying so.
class ProcessPoolBackend {
 public:
  explicit ProcessPoolBackend(std::size_t workers)
      : core_(ProcessPoolCore::Create(
            {.workers = workers, .name = NextProcessPoolName(), .start_now = true})) {}

  template <class F>
  static F Share(F fn) {
    return fn;
  }
  template <class R, class Fn, class... Args>
  Future<R> SubmitCall(Fn fn, std::tuple<Args...> args, Site site) {
    Future<R> future;
    if constexpr (CheckProcessCall<Fn, R, Args...>()) {
      Submit(MakeProcessTask<R>(&RunCallInWorker<Fn, Args...>, fn, args, future.cell()), site);
    }
    return future;
  }
  template <bool kStar, class Fn, class Item>
  auto SubmitChunk(Fn fn, std::vector<Item> part, Site site) {
    using V = ProcessValue<ChunkResult<kStar, Fn, Item>>;
    Future<std::vector<V>> future;
    if constexpr (CheckProcessCall<Fn, V, Item>()) {
      Submit(MakeProcessTask<std::vector<V>>(&RunChunkInWorker<kStar, Fn, Item>, fn, part,
                                             future.cell()),
             site);
    }
    return future;
  }
  // drop_queued: terminate() (kill the workers); else close() + join().
  void Stop(bool drop_queued) {
    if (drop_queued) {
      core_->Terminate();
    } else {
      core_->Shutdown(true, false);
    }
  }
  std::size_t size() const { return core_->workers(); }
  std::vector<pid_t> pids() const { return core_->Pids(); }

 private:
  void Submit(std::unique_ptr<ProcessTask> task, Site site);

  std::shared_ptr<ProcessPoolCore> core_;
};

template <class Backend>
class BasicPool {
 public:
  explicit BasicPool(std::size_t workers) : backend_(workers) {}
  BasicPool(const BasicPool&) = delete;
  BasicPool& operator=(const BasicPool&) = delete;
  ~BasicPool() { terminate(); }

  template <class F, class... Args>
    requires std::invocable<std::decay_t<F>, std::decay_t<Args>...>
  [[nodiscard]] RACELENS_NOINLINE auto apply_async(F&& fn, Args&&... args)
      -> AsyncResult<std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>> {
    using R = std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>;
    const Site site = RACELENS_SITE();
    std::decay_t<F> call(std::forward<F>(fn));
    std::tuple<std::decay_t<Args>...> bound(std::forward<Args>(args)...);
    std::lock_guard lock(mutex_);
    CheckRunning(site);
    return AsyncResult<R>(backend_.template SubmitCall<R>(std::move(call), std::move(bound), site));
  }

  template <class F, class... Args>
    requires std::invocable<std::decay_t<F>, std::decay_t<Args>...>
  decltype(auto) apply(F&& fn, Args&&... args) {
    auto result = apply_async(std::forward<F>(fn), std::forward<Args>(args)...);
    using R = std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>;
    if constexpr (std::is_void_v<R>) {
      result.get();
    } else {
      return R(result.get());
    }
  }

  template <class F, std::ranges::input_range Items>
    requires std::invocable<F&, std::ranges::range_value_t<Items>&&>
  auto map(F fn, Items&& items, std::size_t chunksize = 0) {
    auto chunks = SubmitChunks<false>(RACELENS_SITE(), Backend::Share(std::move(fn)),
                                      std::forward<Items>(items), chunksize, true);
    return Collect(chunks);
  }

  template <class F, std::ranges::input_range Tuples>
  auto starmap(F fn, Tuples&& tuples, std::size_t chunksize = 0) {
    auto chunks = SubmitChunks<true>(RACELENS_SITE(), Backend::Share(std::move(fn)),
                                     std::forward<Tuples>(tuples), chunksize, true);
    return Collect(chunks);
  }

  template <class F, std::ranges::input_range Items>
    requires std::invocable<F&, std::ranges::range_value_t<Items>&&>
  auto imap(F fn, Items&& items, std::size_t chunksize = 1) {
    auto chunks =
        SubmitChunks<false>(RACELENS_SITE(), Backend::Share(std::move(fn)),
                            std::forward<Items>(items), std::max<std::size_t>(chunksize, 1), false);
    using V = typename decltype(chunks)::value_type::value_type::value_type;
    return PoolResults<V>(std::move(chunks), true);
  }

  template <class F, std::ranges::input_range Items>
    requires std::invocable<F&, std::ranges::range_value_t<Items>&&>
  auto imap_unordered(F fn, Items&& items, std::size_t chunksize = 1) {
    auto chunks =
        SubmitChunks<false>(RACELENS_SITE(), Backend::Share(std::move(fn)),
                            std::forward<Items>(items), std::max<std::size_t>(chunksize, 1), false);
    using V = typename decltype(chunks)::value_type::value_type::value_type;
    return PoolResults<V>(std::move(chunks), false);
  }

  void close() {
    std::lock_guard lock(mutex_);
    if (state_ == State::kRun) state_ = State::kClose;
  }

  void terminate() {
    {
      std::lock_guard lock(mutex_);
      if (state_ == State::kTerminate) return;
      state_ = State::kTerminate;
    }
    backend_.Stop(/*drop_queued=*/true);
  }

  RACELENS_NOINLINE void join() {
    State state;
    {
      std::lock_guard lock(mutex_);
      state = state_;
      if (state == State::kRun) ThrowPoolStillRunning(this, RACELENS_SITE());
    }
    backend_.Stop(/*drop_queued=*/state == State::kTerminate);
  }

  // The number of workers and their threads (CPython's _processes and _pool).
  std::size_t processes() const { return backend_.size(); }
  std::vector<ThreadHandle> threads() const { return backend_.threads(); }

 private:
  enum class State { kRun, kClose, kTerminate };

  void CheckRunning(Site site) const {
    if (state_ != State::kRun) ThrowPoolNotRunning(this, site);
  }

  // Submits fn over `items` in chunks (std::apply(fn, item) with kStar); each
  // chunk's future yields its results.
  template <bool kStar, class Fn, class Items>
  auto SubmitChunks(Site site, Fn fn, Items&& items, std::size_t chunksize, bool default_size) {
    using Item = std::ranges::range_value_t<Items>;
    using V = ProcessValue<ChunkResult<kStar, Fn, Item>>;
    std::vector<Item> all;
    for (auto&& item : items) all.emplace_back(std::forward<decltype(item)>(item));
    if (default_size && chunksize == 0) {
      // CPython's Pool._map_async default.
      const std::size_t parts = backend_.size() * 4;
      chunksize = all.size() / parts + (all.size() % parts != 0 ? 1 : 0);
    }
    chunksize = std::max<std::size_t>(chunksize, 1);
    std::vector<Future<std::vector<V>>> chunks;
    std::lock_guard lock(mutex_);
    CheckRunning(site);
    for (std::size_t begin = 0; begin < all.size(); begin += chunksize) {
      const std::size_t end = std::min(all.size(), begin + chunksize);
      std::vector<Item> part(std::make_move_iterator(all.begin() + begin),
                             std::make_move_iterator(all.begin() + end));
      chunks.push_back(backend_.template SubmitChunk<kStar>(fn, std::move(part), site));
    }
    return chunks;
  }

  template <class V>
  static std::vector<V> Collect(std::vector<Future<std::vector<V>>>& chunks) {
    std::vector<V> out;
    for (Future<std::vector<V>>& chunk : chunks) {
      chunk.result();
      for (V& v : *chunk.cell()->value) out.push_back(std::move(v));
    }
    return out;
  }

  mutable std::mutex mutex_;
  State state_ = State::kRun;
  Backend backend_;

 protected:
  const Backend& backend() const { return backend_; }
};

}  // namespace detail

class ThreadPool : public detail::BasicPool<detail::ThreadPoolBackend> {
 public:
  explicit ThreadPool(std::optional<int> processes = std::nullopt)
      : BasicPool(detail::CheckedPoolSize(processes)) {}
};

class Pool : public detail::BasicPool<detail::ProcessPoolBackend> {
 public:
  explicit Pool(std::optional<int> processes = std::nullopt)
      : BasicPool(detail::CheckedPoolSize(processes)) {}

  // The workers' process ids (CPython's [p.pid for p in pool._pool]).
  std::vector<pid_t> pids() const { return backend().pids(); }
};

namespace dummy {
using Pool = ThreadPool;
}  // namespace dummy

}  // namespace racelens
