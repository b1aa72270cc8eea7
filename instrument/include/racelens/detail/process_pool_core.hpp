// racelens/detail/process_pool_core.hpp — worker processes and their task queue (internal).
//
// `ProcessPoolCore` is the machinery shared by ProcessPoolExecutor and the
// multiprocessing-style Pool: forked worker processes, each fed over its own
// pair of pipes by one parent-side manager thread, and a FIFO of tasks not yet
// sent to a worker.
//
// A task is a `ProcessTask`: the serialised call (a `ProcessCall` trampoline's
// address, then whatever that trampoline reads: the callable and the
// arguments), the future it completes and the function that turns the
// worker's reply into the future's value. Code addresses are the same in a
// forked child, so the trampoline and a function pointer can be sent as
// numbers; captureless lambdas are default-constructed in the child. That is
// why a process task's callable must be a function pointer or an empty class
// (`ProcessCallable`).
//
// The manager thread (a daemon racelens thread "<name>_manager") is started by
// the first submission, or at once for a Pool. It forks all the workers
// itself — so that PR_SET_PDEATHSIG, which fires when the *forking thread*
// ends, kills them when the manager or the whole parent goes away — and then
// loops: it hands the oldest queued task to an idle worker (one task per
// worker at a time), waits in poll() for replies and wake-ups, and completes
// futures (their done-callbacks run on the manager thread, as CPython's).
//
// Faults: a worker whose reply pipe reaches end of file while it was not told
// to stop (killed, _exit, crash) breaks the pool: every other worker is
// killed, every worker is reaped, and every queued or running task fails with
// BrokenProcessPool; later submissions are refused with kBroken. A task that
// throws in the worker completes its future with ProcessError("<type>: <what>").
//
// Happens-before: Submit releases into the task's `submitted` clock; the
// manager acquires it before completing the future (submit -> every
// observation of that future in the parent). The child's memory is separate:
// nothing the task does in the child is visible to the parent's detector.
//
// Thread-safety: all members are thread-safe. Not part of the public API.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "racelens/detail/futex.hpp"
#include "racelens/detail/future_core.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/serialize.hpp"
#include "racelens/thread.hpp"

namespace racelens::detail {

// Runs one call in a worker: reads the callable and its arguments from `in`
// and writes the result to `out`. Throws the task's exception.
using ProcessCall = void (*)(ByteReader& in, ByteWriter& out);
// Completes `future` with the result a worker sent (read from `in`).
using ProcessComplete = void (*)(FutureCore& future, ByteReader& in);

struct ProcessTask {
  std::string call;  // the ProcessCall's address, then what it reads
  std::shared_ptr<FutureCore> future;
  ProcessComplete complete = nullptr;
  SyncClock submitted;  // submit -> completion in the parent
};

// A callable a worker process can run: a function pointer, or an empty class
// (a captureless lambda) the child default-constructs.
template <class F>
concept ProcessCallable =
    (std::is_pointer_v<F> && std::is_function_v<std::remove_pointer_t<F>>) ||
    (std::is_class_v<F> && std::is_empty_v<F> && std::is_default_constructible_v<F>);

// Fails to compile, with a message saying what to do, when F cannot be run by a worker process.
template <class F>
constexpr void RequireProcessCallable() {
  static_assert(
      ProcessCallable<F>,
      "racelens: a process pool task must be a function pointer or a captureless lambda "
      "(its code is the same in the forked worker); a lambda with captures, a "
      "std::function or a functor with members cannot be sent to another process. Pass "
      "the data as arguments instead (they must be serialisable: racelens/serialize.hpp).");
}

template <class F>
void WriteCallable(ByteWriter& out, F fn) {
  if constexpr (std::is_pointer_v<F>) {
    out.write(reinterpret_cast<std::uintptr_t>(fn));
  } else {
    (void)out;
    (void)fn;
  }
}

template <class F>
F ReadCallable(ByteReader& in) {
  if constexpr (std::is_pointer_v<F>) {
    return reinterpret_cast<F>(in.read<std::uintptr_t>());
  } else {
    (void)in;
    return F{};
  }
}

// A void result is Python's None.
template <class R>
using ProcessValue = std::conditional_t<std::is_void_v<R>, std::monostate, R>;

// The result type of one element of a chunk: fn(item), or std::apply(fn, item) for starmap.
template <bool kStar, class Fn, class Item>
struct ChunkCall {
  using type = std::invoke_result_t<Fn&, Item&&>;
};
template <class Fn, class Item>
struct ChunkCall<true, Fn, Item> {
  using type = decltype(std::apply(std::declval<Fn&>(), std::declval<Item&&>()));
};
template <bool kStar, class Fn, class Item>
using ChunkResult = std::remove_cvref_t<typename ChunkCall<kStar, Fn, Item>::type>;

// Runs fn over the items of one chunk (a Pool's map/starmap/imap task).
template <bool kStar, class Fn, class Item>
auto RunChunk(Fn& fn, std::vector<Item>& part) {
  using R = ChunkResult<kStar, Fn, Item>;
  std::vector<ProcessValue<R>> out;
  out.reserve(part.size());
  for (Item& item : part) {
    const auto call = [&]() -> R {
      if constexpr (kStar) {
        return std::apply(fn, std::move(item));
      } else {
        return fn(std::move(item));
      }
    };
    if constexpr (std::is_void_v<R>) {
      call();
      out.emplace_back();
    } else {
      out.push_back(call());
    }
  }
  return out;
}

// The trampoline of submit()/apply_async(): fn(args...).
template <class F, class... Args>
void RunCallInWorker(ByteReader& in, ByteWriter& out) {
  F fn = ReadCallable<F>(in);
  auto args = in.read<std::tuple<Args...>>();
  using R = std::invoke_result_t<F&, Args&&...>;
  if constexpr (std::is_void_v<R>) {
    std::apply(fn, std::move(args));
  } else {
    const R result = std::apply(fn, std::move(args));
    out.write(result);
  }
}

// The trampoline of one map/starmap chunk.
template <bool kStar, class F, class Item>
void RunChunkInWorker(ByteReader& in, ByteWriter& out) {
  F fn = ReadCallable<F>(in);
  auto part = in.read<std::vector<Item>>();
  out.write(RunChunk<kStar>(fn, part));
}

// Completes a FutureCell<T> with the value a worker sent.
template <class T>
void CompleteFromWorker(FutureCore& future, ByteReader& in) {
  if constexpr (std::is_void_v<T>) {
    (void)in;
    future.Finish(nullptr, nullptr, nullptr);
  } else {
    T value = in.read<T>();
    future.Finish(nullptr, &FutureCell<T>::StoreValue, &value);
  }
}

// A task calling `trampoline` with `fn` and then `payload` written after it.
template <class T, class F, class Payload>
std::unique_ptr<ProcessTask> MakeProcessTask(ProcessCall trampoline, F fn, const Payload& payload,
                                             std::shared_ptr<FutureCore> future) {
  auto task = std::make_unique<ProcessTask>();
  ByteWriter out;
  out.write(reinterpret_cast<std::uintptr_t>(trampoline));
  WriteCallable(out, fn);
  out.write(payload);
  task->call = std::move(out).take();
  task->future = std::move(future);
  task->complete = &CompleteFromWorker<T>;
  return task;
}

class ProcessPoolCore : public std::enable_shared_from_this<ProcessPoolCore> {
 public:
  struct Options {
    std::size_t workers = 1;
    std::string name;        // the manager thread is "<name>_manager"
    bool start_now = false;  // fork the workers in Create() (Pool), else in the first Submit
  };
  enum class SubmitStatus { kQueued, kShutdown, kBroken };

  static std::shared_ptr<ProcessPoolCore> Create(Options options);
  ProcessPoolCore(const ProcessPoolCore&) = delete;
  ProcessPoolCore& operator=(const ProcessPoolCore&) = delete;
  ~ProcessPoolCore();

  // Queues `task` (releasing the submit edge). The first call starts the manager and
  // returns once it has forked the workers.
  SubmitStatus Submit(std::unique_ptr<ProcessTask> task, Site site);
  // Refuses later submissions; the workers run what is queued, then exit.
  // With `cancel_queued` the tasks not yet sent to a worker are cancelled.
  // With `wait`, returns once every worker has exited and been reaped.
  void Shutdown(bool wait, bool cancel_queued);
  // Refuses later submissions, cancels the queued tasks and kills the workers
  // at once; the running tasks fail with CancelledError. Waits for the reaping.
  void Terminate();

  // The workers' process ids (CPython's executor._processes); once the manager
  // started, waits until it has forked them. Empty before the first Submit.
  std::vector<pid_t> Pids() const;
  std::size_t workers() const noexcept { return options_.workers; }
  bool broken() const;

 private:
  struct Worker;

  explicit ProcessPoolCore(Options options);
  // With mutex_ held: starts the manager thread unless it runs; true when it started it.
  bool StartManagerLocked();
  // With mutex_ held (released while waiting): returns once the manager forked the workers
  // (or failed to), at once when no manager was started.
  void WaitUntilSpawnedLocked(std::unique_lock<SpinningMutex>& lock) const;
  static void ManagerMain(const std::shared_ptr<ProcessPoolCore>& core);
  void ManagerLoop();
  void SpawnWorkers();
  void Wake();
  void JoinManager();
  // Ends the pool after a fault or terminate(): kills and reaps every worker
  // and fails the unfinished tasks with `error`.
  void Abort(const std::exception_ptr& error, bool broken);

  const Options options_;
  const int wake_fd_;  // an eventfd: submissions and shutdown wake the manager

  // SpinningMutex, not std::mutex: a Thread is started and hooks fire with it held, and the
  // controlled scheduler may switch threads there (racelens/detail/sched.hpp).
  mutable SpinningMutex mutex_;  // the fields below
  mutable CondVar spawned_cv_;
  std::deque<std::unique_ptr<ProcessTask>> queue_;
  std::vector<pid_t> pids_;
  bool spawned_ = false;  // the manager forked the workers (or failed to)
  bool shutdown_ = false;
  bool terminate_ = false;
  bool broken_ = false;
  std::unique_ptr<Thread> manager_;

  SpinningMutex join_mutex_;  // one joiner of the manager at a time (held across the join)
  bool joined_ = false;       // guarded by join_mutex_

  // The manager thread's own state: no lock.
  std::vector<Worker> workers_;
};

// "A child process terminated abruptly, the process pool is not usable anymore" (a submission
// to a broken pool) and "A process in the process pool was terminated abruptly while the future
// was running or pending." (its futures), CPython's texts.
extern const char* const kBrokenPoolSubmitMessage;
extern const char* const kBrokenPoolFutureMessage;

}  // namespace racelens::detail
