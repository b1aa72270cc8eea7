// racelens/detail/hooks.hpp — the runtime's event entry points (internal).
//
// Every racelens primitive reports what it does through the `On<Event>`
// functions below, in the shape ThreadSanitizer's runtime uses:
// `On<Event>(thread, object, site, ...)`. The runtime forwards each event to
// the registered event listeners (the detectors); primitives never know who
// listens.
//
// Cost: primitives call hooks only through `RACELENS_HOOK`, which first tests
// `HooksEnabled()` (one relaxed atomic load). With `detect=0` nothing else
// runs: no thread lookup, no call.
//
// `SyncClock` is a slot a primitive owns for each happens-before edge it can
// carry (an Event's set, a queue item, a condition waiter, a finishing
// thread). Listeners store their clocks in it; primitives only move it.
//
// Thread-safety: every hook may be called from any thread at any time.
// Not part of the public API: names here may change without notice.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace racelens::detail {

class ThreadState;

// The code address an operation was called from (a return address).
using Site = const void*;

enum class ObjectKind : std::uint8_t {
  kLock,
  kRLock,
  kCondition,
  kSemaphore,
  kBoundedSemaphore,
  kEvent,
  kBarrier,
  kQueue,  // also a multiprocessing queue
  // Executors and pools hand tasks to workers through the queue hooks (OnQueuePut at submit,
  // OnQueueGet when a worker takes the task); reports name those events by this kind.
  kThreadPool,
  kProcessPool,
};

// The blocking call a thread is inside of, for deadlock reports.
enum class BlockingCall : std::uint8_t {
  kLockAcquire,
  kRLockAcquire,
  kConditionWait,
  kSemaphoreAcquire,
  kEventWait,
  kBarrierWait,
  kQueuePut,
  kQueueGet,
  kQueueJoin,
  kThreadJoin,
  kFutureResult,
  kFutureException,
  kFuturesWait,
  kAsCompleted,
  kPoolWorkerIdle,
  kAsyncResultGet,
  kAsyncResultWait,
  kProcessJoin,
  kMpQueuePut,
  kMpQueueGet,
  kMpQueueJoin,
};

// The `timeout` a wait on another process reports to OnBlock when it has
// none: the other process may end the wait at any time, so such a wait shows
// in deadlock reports but never makes this process look deadlocked by itself.
inline constexpr double kWaitOnAnotherProcess = 1e9;

// Each row of DESIGN.md's error table that is a misuse of an API.
enum class MisuseKind : std::uint8_t {
  kReleaseUnlockedLock,
  kReleaseUnownedRLock,
  kWaitWithoutLock,
  kNotifyWithoutLock,
  kSemaphoreOverRelease,
  kNegativeSemaphoreValue,
  kTimeoutOnNonBlockingCall,
  kTaskDoneTooManyTimes,
  kThreadStartedTwice,
  kJoinBeforeStart,
  kJoinCurrentThread,
  kSubmitAfterShutdown,
  kPoolNotRunning,
  kPoolStillRunning,
  kThreadExitHoldingLock,
};

// Opaque per-edge state owned by a primitive and filled in by listeners (also
// a Shared<T>'s per-location race state: see OnMemoryAccess).
struct SyncClockState {
  virtual ~SyncClockState() = default;
};

// Moving, resetting and destroying need the primitive's own exclusion (no hook
// may run on the slot meanwhile); get() and install() may race with each other.
class SyncClock {
 public:
  SyncClock() = default;
  SyncClock(SyncClock&& other) noexcept
      : state_(other.state_.exchange(nullptr, std::memory_order_relaxed)) {}
  SyncClock& operator=(SyncClock&& other) noexcept {
    SyncClockState* const mine = state_.load(std::memory_order_relaxed);
    state_.store(other.state_.load(std::memory_order_relaxed), std::memory_order_relaxed);
    other.state_.store(mine, std::memory_order_relaxed);
    return *this;
  }
  SyncClock(const SyncClock&) = delete;
  SyncClock& operator=(const SyncClock&) = delete;
  ~SyncClock() { delete state_.load(std::memory_order_relaxed); }

  SyncClockState* get() const noexcept { return state_.load(std::memory_order_acquire); }
  // Replaces the state, taking ownership of `state`.
  void reset(SyncClockState* state) noexcept {
    delete state_.exchange(state, std::memory_order_acq_rel);
  }
  // Stores `fresh` (taking ownership) unless the slot has a state already, in
  // which case `fresh` is deleted; returns the slot's state. Two threads may
  // install at once: both get the same state.
  SyncClockState* install(SyncClockState* fresh) noexcept {
    SyncClockState* expected = nullptr;
    if (state_.compare_exchange_strong(expected, fresh, std::memory_order_acq_rel,
                                       std::memory_order_acquire)) {
      return fresh;
    }
    delete fresh;
    return expected;
  }

 private:
  std::atomic<SyncClockState*> state_{nullptr};
};

extern std::atomic<bool> g_hooks_enabled;

inline bool HooksEnabled() noexcept { return g_hooks_enabled.load(std::memory_order_relaxed); }

// The calling thread's runtime state; registers a thread racelens did not
// start (the main thread, a std::thread) on first use.
ThreadState& CurrentThreadState();

// --- objects -------------------------------------------------------------
void OnObjectCreate(ThreadState& thr, const void* object, ObjectKind kind, std::string_view name,
                    Site site);
void OnObjectDestroy(ThreadState& thr, const void* object, Site site);

// --- locks (Lock, RLock, and the lock side of Semaphore/Condition) -------
// Before an acquisition that may block; `try_lock` when it will not.
void OnMutexPreLock(ThreadState& thr, const void* object, Site site, bool try_lock);
// After an acquisition attempt; `recursion` is the RLock depth (1 for Lock).
// `clock` is the lock's own happens-before slot (touched only while it is held).
void OnMutexPostLock(ThreadState& thr, const void* object, Site site, bool acquired, int recursion,
                     SyncClock& clock);
// Before a release takes effect; `recursion_left` is 0 when fully released.
void OnMutexUnlock(ThreadState& thr, const void* object, Site site, int recursion_left,
                   SyncClock& clock);

// --- semaphores ---------------------------------------------------------
void OnSemaphoreRelease(ThreadState& thr, const void* object, Site site, std::int64_t n,
                        SyncClock& clock);
void OnSemaphoreAcquire(ThreadState& thr, const void* object, Site site, bool acquired,
                        SyncClock& clock);

// --- events -------------------------------------------------------------
void OnEventSet(ThreadState& thr, const void* object, Site site, SyncClock& clock);
void OnEventClear(ThreadState& thr, const void* object, Site site);
// A wait() or is_set() that returned; `observed_set` when it saw the flag set.
void OnEventObserve(ThreadState& thr, const void* object, Site site, bool observed_set,
                    SyncClock& clock);

// --- conditions ---------------------------------------------------------
// Called by the notifier once per waiter it wakes, with that waiter's slot.
void OnConditionNotify(ThreadState& thr, const void* object, Site site, SyncClock& waiter);
// After wait() re-acquired the lock; `notified` is false on timeout.
void OnConditionWake(ThreadState& thr, const void* object, Site site, bool notified,
                     SyncClock& waiter);

// --- barriers -----------------------------------------------------------
void OnBarrierArrive(ThreadState& thr, const void* object, Site site, SyncClock& generation);
void OnBarrierDepart(ThreadState& thr, const void* object, Site site, bool passed,
                     SyncClock& generation);

// --- queues -------------------------------------------------------------
void OnQueuePut(ThreadState& thr, const void* object, Site site, SyncClock& item);
void OnQueueGet(ThreadState& thr, const void* object, Site site, SyncClock& item);
void OnQueueTaskDone(ThreadState& thr, const void* object, Site site, SyncClock& all_done);
void OnQueueJoin(ThreadState& thr, const void* object, Site site, SyncClock& all_done);

// --- threads ------------------------------------------------------------
void OnThreadCreate(ThreadState& parent, ThreadState& child, Site site);
void OnThreadStart(ThreadState& thr);
void OnThreadFinish(ThreadState& thr);
void OnThreadJoin(ThreadState& thr, ThreadState& joined, Site site);

// --- tracked memory (Shared<T>, RACELENS_READ/RACELENS_WRITE) ---------
// `name` names the variable in reports; it must outlive the program (a
// string literal) or the tracked object (its own storage). `shadow` is the
// tracked object's own slot for the detector's state of its memory (a
// Shared<T> has one, and every access covers all of its bytes), or null for
// memory known only by its address (RACELENS_READ/RACELENS_WRITE).
void OnMemoryAccess(ThreadState& thr, const void* address, std::size_t size, bool is_write,
                    const char* name, Site site, SyncClock* shadow = nullptr);
// A read and then a write of the same bytes at one site (a compound assignment):
// the same as the two OnMemoryAccess calls, in one.
void OnMemoryUpdate(ThreadState& thr, const void* address, std::size_t size, const char* name,
                    Site site, SyncClock* shadow = nullptr);

// --- blocking, sleeping, misuse ----------------------------------------
// Around every wait that really blocks; `timeout` < 0 means no timeout.
void OnBlock(ThreadState& thr, const void* object, BlockingCall call, double timeout, Site site);
void OnUnblock(ThreadState& thr, const void* object);
void OnSleep(ThreadState& thr, double seconds, Site site);
void OnMisuse(ThreadState& thr, const void* object, MisuseKind kind, std::string_view message,
              Site site);

}  // namespace racelens::detail

// The caller's code address inside a racelens entry point.
#define RACELENS_SITE() (static_cast<::racelens::detail::Site>(__builtin_return_address(0)))

// Calls hook `name` with the current thread when hooks are enabled.
#define RACELENS_HOOK(name, ...)                                                       \
  do {                                                                                 \
    if (__builtin_expect(::racelens::detail::HooksEnabled(), 0)) {                     \
      ::racelens::detail::name(::racelens::detail::CurrentThreadState() __VA_OPT__(, ) \
                                   __VA_ARGS__);                                       \
    }                                                                                  \
  } while (0)

#define RACELENS_NOINLINE __attribute__((noinline))
