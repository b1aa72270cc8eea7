// racelens/pool.hpp — multiprocessing.pool.ThreadPool and multiprocessing.dummy.Pool.
//
// Defines:
//   ThreadPool                  a fixed set of worker threads (multiprocessing.pool.ThreadPool)
//   dummy::Pool                 = ThreadPool (multiprocessing.dummy.Pool)
//   PoolResults<V>              the lazily blocking range imap/imap_unordered return
//   detail::BasicPool<Backend>  the interface, shared with the process-based Pool to come
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
#include "racelens/detail/task_cell.hpp"
#include "racelens/detail/thread_pool_core.hpp"
#include "racelens/errors.hpp"
#include "racelens/executor.hpp"
#include "racelens/future.hpp"
#include "racelens/future_wait.hpp"
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

// Runs a pool's tasks on racelens threads. A process pool backend provides the
// same three members.
class ThreadPoolBackend {
 public:
  explicit ThreadPoolBackend(std::size_t workers)
      : core_(ThreadPoolCore::Create({.max_workers = workers,
                                      .name_prefix = NextThreadPoolPrefix(),
                                      .on_demand = false,
                                      .join_at_exit = false})) {}

  template <class R, class Fn>
  Future<R> Submit(Fn fn, Site site) {
    auto [future, item] = MakeTask<R>(std::move(fn));
    core_->Submit(std::move(item), site);  // the pool checked its state first
    return future;
  }
  // No more tasks; with `drop_queued` the tasks not started are cancelled. Joins.
  void Stop(bool drop_queued) { core_->Shutdown(true, drop_queued); }
  std::size_t size() const { return core_->max_workers(); }
  std::vector<ThreadHandle> threads() const { return core_->Threads(); }

 private:
  std::shared_ptr<ThreadPoolCore> core_;
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
    auto task =
        [fn = std::decay_t<F>(std::forward<F>(fn)),
         args = std::tuple<std::decay_t<Args>...>(std::forward<Args>(args)...)]() mutable -> R {
      return std::apply(std::move(fn), std::move(args));
    };
    std::lock_guard lock(mutex_);
    CheckRunning(site);
    return AsyncResult<R>(backend_.template Submit<R>(std::move(task), site));
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
    auto chunks = SubmitChunks(RACELENS_SITE(), ShareCallable(std::move(fn)),
                               std::forward<Items>(items), chunksize, true);
    return Collect(chunks);
  }

  template <class F, std::ranges::input_range Tuples>
  auto starmap(F fn, Tuples&& tuples, std::size_t chunksize = 0) {
    auto spread = [shared = ShareCallable(std::move(fn))](auto&& args) mutable -> decltype(auto) {
      return std::apply(shared, std::forward<decltype(args)>(args));
    };
    auto chunks = SubmitChunks(RACELENS_SITE(), std::move(spread), std::forward<Tuples>(tuples),
                               chunksize, true);
    return Collect(chunks);
  }

  template <class F, std::ranges::input_range Items>
    requires std::invocable<F&, std::ranges::range_value_t<Items>&&>
  auto imap(F fn, Items&& items, std::size_t chunksize = 1) {
    auto chunks =
        SubmitChunks(RACELENS_SITE(), ShareCallable(std::move(fn)), std::forward<Items>(items),
                     std::max<std::size_t>(chunksize, 1), false);
    using V = typename decltype(chunks)::value_type::value_type::value_type;
    return PoolResults<V>(std::move(chunks), true);
  }

  template <class F, std::ranges::input_range Items>
    requires std::invocable<F&, std::ranges::range_value_t<Items>&&>
  auto imap_unordered(F fn, Items&& items, std::size_t chunksize = 1) {
    auto chunks =
        SubmitChunks(RACELENS_SITE(), ShareCallable(std::move(fn)), std::forward<Items>(items),
                     std::max<std::size_t>(chunksize, 1), false);
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

  // Submits fn over `items` in chunks; each chunk's future yields its results.
  template <class Fn, class Items>
  auto SubmitChunks(Site site, Fn fn, Items&& items, std::size_t chunksize, bool default_size) {
    using Item = std::ranges::range_value_t<Items>;
    using R = std::invoke_result_t<Fn&, Item&&>;
    using V = MapValue<R>;
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
      auto task = [fn, part = std::move(part)]() mutable {
        std::vector<V> out;
        out.reserve(part.size());
        for (Item& item : part) {
          if constexpr (std::is_void_v<R>) {
            fn(std::move(item));
            out.emplace_back();
          } else {
            out.push_back(fn(std::move(item)));
          }
        }
        return out;
      };
      chunks.push_back(backend_.template Submit<std::vector<V>>(std::move(task), site));
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
};

}  // namespace detail

class ThreadPool : public detail::BasicPool<detail::ThreadPoolBackend> {
 public:
  explicit ThreadPool(std::optional<int> processes = std::nullopt)
      : BasicPool(detail::CheckedPoolSize(processes)) {}
};

namespace dummy {
using Pool = ThreadPool;
}  // namespace dummy

}  // namespace racelens
