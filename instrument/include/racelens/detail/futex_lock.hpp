// racelens/detail/futex_lock.hpp — the word-sized lock under Lock and RLock (internal).
//
// Drepper's three-state futex mutex ("Futexes Are Tricky", mutex #3) with a
// deadline: 0 unlocked, 1 locked, 2 locked with possible waiters. It has no
// owner, so any thread may unlock it (Python's Lock semantics), and it emits
// no runtime events: Lock and RLock do that.
//
// `SpinningMutex` is a std::mutex-like lock over it for short critical
// sections taken by several threads at a high rate (a pool's queue, a
// future's state): it spins, then yields, then sleeps.
//
// Thread-safety: all members are thread-safe.
#pragma once

#include <sched.h>

#include <atomic>
#include <cstdint>

#include "racelens/detail/deadline.hpp"
#include "racelens/detail/sched.hpp"

namespace racelens::detail {

class FutexLock {
 public:
  bool TryLock() noexcept {
    std::uint32_t expected = 0;
    return state_.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                          std::memory_order_relaxed);
  }
  // Re-reads the word for a short while (a few microseconds), taking the lock
  // if it comes free; false if it stayed held. Contention that ends this
  // quickly is not worth announcing as a blocking call.
  bool SpinLock() noexcept;
  // Blocks until acquired or the deadline passes; false on timeout.
  bool LockUntil(const Deadline& deadline) noexcept { return SpinLock() || Sleep(deadline); }
  // Marks the lock contended and sleeps in the kernel until acquired or the
  // deadline passes (no spinning first); false on timeout.
  bool Sleep(const Deadline& deadline) noexcept;
  // Returns false (and changes nothing) when the lock was not held.
  bool Unlock() noexcept {
    const std::uint32_t prev = state_.exchange(0, std::memory_order_release);
    if (prev == 2) Wake();
    return prev != 0;
  }
  bool Locked() const noexcept { return state_.load(std::memory_order_relaxed) != 0; }

 private:
  void Wake() noexcept;
  std::atomic<std::uint32_t> state_{0};
};

// Waiting for another thread to finish a few instructions: pause for the
// first `spins` rounds, then yield the CPU (with more threads than CPUs the
// other thread may be waiting for this CPU; sleeping would cost two system
// calls; under the controlled scheduler the token is handed over: SpinPause).
// One object per wait.
class Backoff {
 public:
  explicit Backoff(int spins) noexcept : spins_(spins) {}
  void Pause() noexcept {
    if (rounds_++ < spins_ && !SchedActive()) {
      __builtin_ia32_pause();
    } else {
      SpinPause();
    }
  }
  int rounds() const noexcept { return rounds_; }

 private:
  const int spins_;
  int rounds_ = 0;
};

// A lock for a short critical section taken by several threads at a high rate
// (std::mutex sleeps at once when taken, and costs more uncontended). Meets
// the Lockable requirements, so std::lock_guard and std::unique_lock work.
class SpinningMutex {
 public:
  void lock() noexcept {
    if (lock_.TryLock()) return;  // uncontended: no other cost
    if (SchedActive()) {          // spinning cannot help: the holder does not run meanwhile
      lock_.LockUntil(Deadline::Never());
      return;
    }
    for (Backoff backoff(kSpins); backoff.rounds() < kTries; backoff.Pause()) {
      if (lock_.TryLock()) return;
    }
    lock_.LockUntil(Deadline::Never());
  }
  bool try_lock() noexcept { return lock_.TryLock(); }
  void unlock() noexcept { lock_.Unlock(); }

 private:
  static constexpr int kSpins = 64;
  static constexpr int kTries = kSpins + 8;
  FutexLock lock_;
};

}  // namespace racelens::detail
