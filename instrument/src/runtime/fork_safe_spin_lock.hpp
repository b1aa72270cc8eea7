// runtime/fork_safe_spin_lock.hpp — a one-word spin lock that a fork() cannot leave held.
//
// For state that every thread touches briefly and at a high rate, and that
// lives in too many objects to be held across fork() one by one (the vector
// clock of each lock, queue item, Event...). The word holds the fork
// generation of the process that took it: each child of a fork() starts a new
// generation, so a lock its parent's threads held when it forked (those
// threads do not exist in the child) counts as free there. Lock() says when it
// took such a lock over: what it guards may have been half-updated.
//
// Waiting spins, then yields the CPU (Backoff; under the controlled scheduler
// it hands the token over). Hold it for a few hundred instructions at most, and
// never block while holding it.
//
// Thread-safety: all members are thread-safe. Errors: none.
#pragma once

#include <atomic>
#include <cstdint>

#include "racelens/detail/futex_lock.hpp"

namespace racelens::detail {

// Which process this is among a chain of forks: 1 in the first process, one
// more in each child (a pthread_atfork handler counts).
std::uint32_t ForkGeneration() noexcept;

class ForkSafeSpinLock {
 public:
  // Takes the lock. True when it was held by a thread of a parent process at
  // the fork that made this one, and is taken over.
  [[nodiscard]] bool Lock() noexcept {
    const std::uint32_t mine = ForkGeneration();
    for (Backoff backoff(kSpins);; backoff.Pause()) {
      std::uint32_t seen = word_.load(std::memory_order_relaxed);
      if (seen == mine) continue;  // held in this process
      if (word_.compare_exchange_weak(seen, mine, std::memory_order_acquire,
                                      std::memory_order_relaxed)) {
        return seen != kFree;
      }
    }
  }
  void Unlock() noexcept { word_.store(kFree, std::memory_order_release); }

 private:
  static constexpr std::uint32_t kFree = 0;
  static constexpr int kSpins = 64;
  std::atomic<std::uint32_t> word_{kFree};
};

}  // namespace racelens::detail
