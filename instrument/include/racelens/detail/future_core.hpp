// racelens/detail/future_core.hpp — the shared state behind Future<T> (internal).
//
// `FutureCore` is the untyped part of a future: CPython's state machine
// (PENDING -> RUNNING -> FINISHED, or -> CANCELLED -> CANCELLED_AND_NOTIFIED),
// the exception, the done-callbacks, the waiters of as_completed()/wait(), and
// the happens-before edge from completion to its observers. `FutureCell<T>`
// adds the value. Everything not depending on T is compiled once, in
// src/primitives/future.cpp.
//
// Happens-before: whatever completes the future (set_result, set_exception,
// cancel) releases into `completion_`; whatever observes completion (result,
// exception, done() or cancelled() returning true, a callback run by another
// thread than the completing one, as_completed/wait handing the future out)
// acquires from it. The internal std::mutex is invisible to the detector, so
// no other ordering leaks out of a future.
//
// Thread-safety: every member is thread-safe. Not part of the public API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <typeinfo>
#include <vector>

#include "racelens/detail/deadline.hpp"
#include "racelens/detail/futex.hpp"
#include "racelens/detail/futex_lock.hpp"
#include "racelens/detail/hooks.hpp"

namespace racelens {

// concurrent.futures._base's states. CANCELLED_AND_NOTIFIED is a cancelled
// future whose executor (or set_running_or_notify_cancel) has seen the
// cancellation; only then do as_completed() and wait() count it as done.
enum class FutureState : std::uint8_t {
  PENDING,
  RUNNING,
  CANCELLED,
  CANCELLED_AND_NOTIFIED,
  FINISHED
};

// "PENDING", "RUNNING", ... as CPython spells the constants.
const char* to_string(FutureState state) noexcept;

namespace detail {

class FutureWaiter;

// The demangled, unqualified name of a type ("int", "ValueError"), as repr() shows it.
std::string ShortTypeName(const std::type_info& type);

class FutureCore : public std::enable_shared_from_this<FutureCore> {
 public:
  using Callback = std::function<void(FutureCore&)>;
  using Callbacks = std::vector<Callback>;
  // Moves the value behind `value` into the cell; runs under the future's lock.
  using Store = void (*)(FutureCore& cell, void* value);

  FutureCore() = default;
  FutureCore(const FutureCore&) = delete;
  FutureCore& operator=(const FutureCore&) = delete;
  virtual ~FutureCore();

  bool Cancel();
  bool Cancelled() const;
  bool Running() const;
  bool Done() const;
  FutureState State() const;

  // Blocks (reporting `call`) until the future is done or `timeout` passes.
  // Throws CancelledError when cancelled and TimeoutError on expiry; returns
  // the task's exception (null on success).
  std::exception_ptr Await(double timeout, BlockingCall call, Site site) const;
  // Blocks (reporting `call`) until the future is done or `timeout` passes;
  // whether it is done. Acquires the completion edge when it is.
  bool WaitDone(double timeout, BlockingCall call, Site site) const;

  // Runs `callback` when the future is done, or at once if it is.
  void AddDoneCallback(Callback callback);

  // For executors: PENDING -> RUNNING (true), or CANCELLED ->
  // CANCELLED_AND_NOTIFIED (false, waiters told). RuntimeError otherwise.
  bool SetRunningOrNotifyCancel();

  // Completes the future with `error`, or with the value `store` moves in.
  // InvalidStateError when it is already done. Callbacks run after the lock
  // is released; with `deferred` they are handed to the caller instead.
  void Finish(std::exception_ptr error, Store store, void* value, Callbacks* deferred = nullptr);

  // "<Future at 0x... state=finished returned int>", as CPython's repr().
  std::string Repr() const;

  // --- as_completed() and wait() ------------------------------------------
  // Whether the future counts as done for a waiter (CANCELLED_AND_NOTIFIED or
  // FINISHED); installs `waiter` when it does not.
  bool DoneOrInstall(FutureWaiter* waiter);
  void RemoveWaiter(FutureWaiter* waiter);
  // FINISHED with an exception (FIRST_EXCEPTION's test).
  bool FinishedWithException() const;
  // The completion edge, for a waiter handing this future out.
  void AcquireCompletion(Site site) const;

  static void RunCallbacks(Callbacks& callbacks, FutureCore& core);

 protected:
  // The result type's name, for repr() of a successful future.
  virtual std::string ResultTypeName() const = 0;

 private:
  bool DoneLocked() const noexcept {
    return state_ == FutureState::CANCELLED || state_ == FutureState::CANCELLED_AND_NOTIFIED ||
           state_ == FutureState::FINISHED;
  }
  std::string ReprLocked() const;
  void ReleaseCompletion() const;

  // What few futures have: callbacks, and waiters of as_completed()/wait().
  // Out of line, so a task's future stays small (one allocation per task).
  struct Observers {
    Callbacks callbacks;
    std::vector<FutureWaiter*> waiters;
  };
  Observers& ObserversLocked();
  // Takes the callbacks out (with mutex_ held).
  Callbacks TakeCallbacksLocked();

  mutable SpinningMutex mutex_;
  FutureState state_ = FutureState::PENDING;
  mutable CondVar done_cv_;
  std::exception_ptr exception_;
  std::unique_ptr<Observers> observers_;  // null until needed; guarded by mutex_
  mutable SyncClock completion_;
};

// The waiter of one as_completed() or wait() call (CPython's _Waiter family).
// Futures call Add() under their own lock; the waiting thread sleeps in Wait().
class FutureWaiter {
 public:
  enum class Mode : std::uint8_t { kAsCompleted, kFirstCompleted, kFirstException, kAllCompleted };

  // `pending`: how many of the futures were not done when it was installed.
  FutureWaiter(Mode mode, std::size_t pending) : mode_(mode), pending_(pending) {}
  FutureWaiter(const FutureWaiter&) = delete;
  FutureWaiter& operator=(const FutureWaiter&) = delete;

  void Add(FutureCore* future, bool raised);
  // `count` of the futures were done already when the waiter was installed.
  void Settle(std::size_t count);
  // Waits for the mode's event; false on timeout. Clears the event.
  bool Wait(const Deadline& deadline, double timeout, BlockingCall call, Site site);
  // The futures that completed since the last call, in completion order.
  std::vector<FutureCore*> TakeFinished();

 private:
  std::mutex mutex_;
  CondVar cv_;
  const Mode mode_;
  std::size_t pending_;
  bool event_ = false;
  std::vector<FutureCore*> finished_;
};

template <class T>
class FutureCell : public FutureCore {
 public:
  // Written once under the lock before the state becomes FINISHED; read after.
  std::optional<T> value;

  static void StoreValue(FutureCore& cell, void* value) {
    static_cast<FutureCell&>(cell).value.emplace(std::move(*static_cast<T*>(value)));
  }

 protected:
  std::string ResultTypeName() const override { return ShortTypeName(typeid(T)); }
};

template <>
class FutureCell<void> : public FutureCore {
 public:
  static void StoreValue(FutureCore&, void*) {}

 protected:
  std::string ResultTypeName() const override { return "NoneType"; }
};

}  // namespace detail
}  // namespace racelens
