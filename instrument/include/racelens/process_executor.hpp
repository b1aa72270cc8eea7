// racelens/process_executor.hpp — concurrent.futures.ProcessPoolExecutor.
//
// Defines:
//   ProcessPoolExecutor      calls run in forked worker processes, results come back as Future<R>
//   ProcessMapResult<V>      the lazily blocking range its map returns
//   ProcessMapOptions        map_with's timeout and chunksize
//
// ProcessPoolExecutor(max_workers = nullopt)
//   max_workers defaults to the CPUs this process may run on (CPython's
//   os.process_cpu_count()); <= 0 raises ValueError("max_workers must be
//   greater than 0"). The workers are forked all at once by the executor's
//   manager thread ("ProcessPoolExecutor-<k>_manager") on the first
//   submission, as CPython does with the fork start method, and reused.
//
// What a task may be (checked at compile time, with a readable message):
//   - the callable: a function pointer (a function named directly decays to
//     one) or a captureless lambda. Workers are forks of this program, so
//     code addresses are the same there; a lambda with captures, a
//     std::function or a functor with members cannot cross.
//   - the arguments and the result: Serialisable (serialize.hpp). They are
//     copied to the worker and back as bytes; fn returning void yields
//     std::monostate (Python's None) in map results.
//
// submit(fn, args...) -> Future<R>
//   Queues fn(args...) and returns its future (future.hpp: the same Future as
//   ThreadPoolExecutor's). A task that throws completes its future with
//   ProcessError("<type name>: <what()>"). After shutdown() raises
//   RuntimeError("cannot schedule new futures after shutdown") (also reported
//   as misuse); on a broken pool raises BrokenProcessPool("A child process
//   terminated abruptly, the process pool is not usable anymore").
// map(fn, ranges...) / map_timeout(timeout, fn, ranges...) /
// map_with({.timeout, .chunksize}, fn, ranges...) -> ProcessMapResult<V>
//   ThreadPoolExecutor::map's semantics (executor.hpp): the ranges are zipped,
//   everything is submitted at once, results come in input order, blocking
//   for each; a failing element rethrows when reached; `timeout` (seconds from
//   the call) raises TimeoutError for an element not ready in time; an
//   exception or destroying a started range cancels the rest. Items travel in
//   chunks of `chunksize` (default 1) calls per task, as CPython's; 0 raises
//   ValueError("chunksize must be >= 1.").
// shutdown(wait = true, cancel_futures = false)
//   Refuses new tasks; the workers run what is queued, then exit and are
//   reaped. cancel_futures cancels the tasks not yet sent to a worker (they
//   become CANCELLED and are notified). wait blocks until every worker is
//   gone. Calling it again is harmless. The destructor calls shutdown(true).
// pids()   the workers' process ids once they are forked (CPython's _processes), for tests
//
// Faults: a worker that dies (a signal, _exit, a crash) breaks the executor:
// every queued or running future fails with BrokenProcessPool("A process in
// the process pool was terminated abruptly while the future was running or
// pending."), the other workers are killed, every worker is reaped, and later
// submissions raise BrokenProcessPool. Workers die with the parent
// (PR_SET_PDEATHSIG) and exit when their task pipe is closed, so none is left
// behind, zombie or orphan.
//
// Happens-before: submit() -> every observation of the task's future in the
// parent (result(), done(), callbacks, as_completed/wait). The task itself
// runs in another process: its memory is not the parent's, and the detector
// does not follow it there. Completions pass through the one manager thread,
// so two futures of the same executor may look ordered to the detector.
//
// Blocking: result(), wait(), as_completed() show in deadlock reports.
//
// Thread-safety: all members are thread-safe; a ProcessMapResult is iterated
// by one thread. Done-callbacks run on the manager thread: do not shut down
// or destroy the executor from one.
#pragma once

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <ranges>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "racelens/detail/deadline.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/detail/process_pool_core.hpp"
#include "racelens/errors.hpp"
#include "racelens/future.hpp"
#include "racelens/serialize.hpp"

namespace racelens {

namespace detail {

// Raises (and for kShutdown reports) the error of a refused process pool submission.
[[noreturn]] void ThrowProcessSubmitRefused(const void* executor,
                                            ProcessPoolCore::SubmitStatus status, Site site);
std::string NextProcessExecutorName();

// The value type of a call's future: references and cv dropped (the value is copied back).
template <class F, class... Args>
using ProcessResult = std::remove_cvref_t<std::invoke_result_t<F&, Args&&...>>;

// Whether fn(args...) can run in a worker; each failing part has its own static_assert.
template <class F, class R, class... Args>
constexpr bool CheckProcessCall() {
  RequireProcessCallable<F>();
  (RequireSerialisable<Args>(), ...);
  if constexpr (!std::is_void_v<R>) RequireSerialisable<R>();
  return ProcessCallable<F> && (Serialisable<Args> && ...) &&
         (std::is_void_v<R> || Serialisable<R>);
}

}  // namespace detail

struct ProcessMapOptions {
  double timeout = -1;  // seconds from the map call; negative: none
  std::size_t chunksize = 1;
};

template <class V>
class ProcessMapResult {
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
    friend class ProcessMapResult;
    explicit iterator(ProcessMapResult* owner) : owner_(owner) {}
    ProcessMapResult* owner_ = nullptr;  // null: the end
  };

  ProcessMapResult(std::vector<Future<std::vector<V>>> chunks, double timeout)
      : chunks_(std::move(chunks)),
        timeout_(timeout),
        deadline_(detail::Deadline::After(timeout)) {}
  ProcessMapResult(ProcessMapResult&&) = default;
  ProcessMapResult& operator=(ProcessMapResult&&) = delete;
  ProcessMapResult(const ProcessMapResult&) = delete;
  ~ProcessMapResult() {
    if (started_) CancelFrom(next_);
  }

  // Starts the iteration: blocks for the first result.
  iterator begin() {
    if (!started_) {
      started_ = true;
      if (!Advance()) return iterator();
    }
    return current_ ? iterator(this) : iterator();
  }
  iterator end() const { return iterator(); }

 private:
  bool Advance() {
    current_.reset();
    while (pos_ == buffer_.size()) {
      if (next_ == chunks_.size()) return false;
      Future<std::vector<V>> chunk = std::move(chunks_[next_++]);
      try {
        double left = -1;
        if (timeout_ >= 0) {
          left = std::max(std::chrono::duration<double>(deadline_.left()).count(), 0.0);
        }
        chunk.result(left);
      } catch (...) {
        chunk.cancel();
        CancelFrom(next_);
        next_ = chunks_.size();
        throw;
      }
      buffer_ = std::move(*chunk.cell()->value);  // the range holds the only handle left
      pos_ = 0;
    }
    current_.emplace(std::move(buffer_[pos_++]));
    return true;
  }

  void CancelFrom(std::size_t first) {
    for (std::size_t i = first; i < chunks_.size(); ++i) chunks_[i].cancel();
  }

  std::vector<Future<std::vector<V>>> chunks_;
  std::size_t next_ = 0;
  bool started_ = false;
  std::vector<V> buffer_;
  std::size_t pos_ = 0;
  std::optional<V> current_;
  double timeout_;
  detail::Deadline deadline_;
};

class ProcessPoolExecutor {
 public:
  explicit ProcessPoolExecutor(std::optional<int> max_workers = std::nullopt);
  ProcessPoolExecutor(const ProcessPoolExecutor&) = delete;
  ProcessPoolExecutor& operator=(const ProcessPoolExecutor&) = delete;
  ~ProcessPoolExecutor();

  template <class F, class... Args>
    requires std::invocable<std::decay_t<F>&, std::decay_t<Args>&&...>
  [[nodiscard]] RACELENS_NOINLINE auto submit(F&& fn, Args&&... args)
      -> Future<detail::ProcessResult<std::decay_t<F>, std::decay_t<Args>...>> {
    using Fn = std::decay_t<F>;
    using R = detail::ProcessResult<Fn, std::decay_t<Args>...>;
    const detail::Site site = RACELENS_SITE();
    Future<R> future;
    if constexpr (detail::CheckProcessCall<Fn, R, std::decay_t<Args>...>()) {
      const std::tuple<std::decay_t<Args>...> payload(std::forward<Args>(args)...);
      Enqueue(detail::MakeProcessTask<R>(&detail::RunCallInWorker<Fn, std::decay_t<Args>...>,
                                         Fn(std::forward<F>(fn)), payload, future.cell()),
              site);
    }
    return future;
  }

  template <class F, std::ranges::input_range... Rs>
    requires(sizeof...(Rs) >= 1 && std::invocable<F&, std::ranges::range_value_t<Rs> && ...>)
  [[nodiscard]] auto map(F fn, Rs&&... ranges) {
    return map_with(ProcessMapOptions{}, fn, std::forward<Rs>(ranges)...);
  }

  template <class F, std::ranges::input_range... Rs>
    requires(sizeof...(Rs) >= 1 && std::invocable<F&, std::ranges::range_value_t<Rs> && ...>)
  [[nodiscard]] auto map_timeout(double timeout, F fn, Rs&&... ranges) {
    return map_with(ProcessMapOptions{.timeout = timeout}, fn, std::forward<Rs>(ranges)...);
  }

  template <class F, std::ranges::input_range... Rs>
    requires(sizeof...(Rs) >= 1 && std::invocable<F&, std::ranges::range_value_t<Rs> && ...>)
  [[nodiscard]] RACELENS_NOINLINE auto map_with(ProcessMapOptions options, F fn, Rs&&... ranges) {
    using Args = std::tuple<std::ranges::range_value_t<Rs>...>;
    using R = detail::ProcessResult<F, std::ranges::range_value_t<Rs>...>;
    using V = detail::ProcessValue<R>;
    const detail::Site site = RACELENS_SITE();
    std::vector<Future<std::vector<V>>> chunks;
    if constexpr (detail::CheckProcessCall<F, R, std::ranges::range_value_t<Rs>...>()) {
      if (options.chunksize < 1) throw ValueError("chunksize must be >= 1.");
      const std::size_t chunksize = options.chunksize;
      auto its = std::make_tuple(std::ranges::begin(ranges)...);
      const auto ends = std::make_tuple(std::ranges::end(ranges)...);
      const auto at_end = [&]<std::size_t... I>(std::index_sequence<I...>) {
        return ((std::get<I>(its) == std::get<I>(ends)) || ...);
      };
      const auto take = [&]<std::size_t... I>(std::index_sequence<I...>) {
        Args args(*std::get<I>(its)...);
        (++std::get<I>(its), ...);
        return args;
      };
      constexpr auto kIndices = std::index_sequence_for<Rs...>{};
      while (!at_end(kIndices)) {
        std::vector<Args> part;
        while (part.size() < chunksize && !at_end(kIndices)) part.push_back(take(kIndices));
        Future<std::vector<V>> chunk;
        Enqueue(detail::MakeProcessTask<std::vector<V>>(&detail::RunChunkInWorker<true, F, Args>,
                                                        fn, part, chunk.cell()),
                site);
        chunks.push_back(std::move(chunk));
      }
    }
    return ProcessMapResult<V>(std::move(chunks), options.timeout);
  }

  void shutdown(bool wait = true, bool cancel_futures = false);

  std::size_t max_workers() const noexcept { return core_->workers(); }
  std::vector<pid_t> pids() const { return core_->Pids(); }

 private:
  void Enqueue(std::unique_ptr<detail::ProcessTask> task, detail::Site site) {
    const auto status = core_->Submit(std::move(task), site);
    if (status != detail::ProcessPoolCore::SubmitStatus::kQueued) {
      detail::ThrowProcessSubmitRefused(this, status, site);
    }
  }

  std::shared_ptr<detail::ProcessPoolCore> core_;
};

}  // namespace racelens
