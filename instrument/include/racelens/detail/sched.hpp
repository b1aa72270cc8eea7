// racelens/detail/sched.hpp — scheduling points of the controlled scheduler (internal).
//
// Under `schedule=random` or `pct` the runtime serialises all racelens threads: one
// thread holds the token and runs; the others wait for it. A thread gives the
// token away only at a scheduling point, when it blocks, or when it finishes
// (instrument/src/schedule/scheduler.hpp).
//
// Contract for the code that calls these:
// - A scheduling point may switch threads, so it must never be reached while
//   holding a lock the kernel sleeps on without the scheduler knowing (a
//   std::mutex): the next thread could block on it in the kernel, and nothing
//   would ever run again. Locks built on FutexLock (SpinningMutex) are fine:
//   they block through FutexWait, which the scheduler intercepts.
// - A wait loop that only spins or sched_yield()s until another thread moves
//   can never end under the scheduler (the other thread does not run): such a
//   loop calls SpinPause(), which hands the token over when scheduled.
//
// Cost under `schedule=os`: one relaxed atomic load per point.
//
// Thread-safety: every function may be called from any thread.
#pragma once

#include <sched.h>

#include <atomic>

namespace racelens::detail {

// True while the controlled scheduler runs (set once at start-up).
extern std::atomic<bool> g_sched_active;

inline bool SchedActive() noexcept { return g_sched_active.load(std::memory_order_relaxed); }

// A scheduling point: the strategy may let another runnable thread run first.
void SchedPointSlow() noexcept;
// The caller waits for another thread to move: let another thread run first
// when there is one.
void SchedYieldSlow() noexcept;

// In a loop waiting for another thread: yields the CPU, or the token when scheduled.
inline void SpinPause() noexcept {
  if (SchedActive()) {
    SchedYieldSlow();
  } else {
    sched_yield();
  }
}

}  // namespace racelens::detail

// A scheduling point at the entry of a racelens operation (before any lock).
#define RACELENS_SCHED_POINT()                                    \
  do {                                                            \
    if (__builtin_expect(::racelens::detail::SchedActive(), 0)) { \
      ::racelens::detail::SchedPointSlow();                       \
    }                                                             \
  } while (0)
