// racelens/detail/futex_lock.hpp — the word-sized lock under Lock and RLock (internal).
//
// Drepper's three-state futex mutex ("Futexes Are Tricky", mutex #3) with a
// deadline: 0 unlocked, 1 locked, 2 locked with possible waiters. It has no
// owner, so any thread may unlock it (Python's Lock semantics), and it emits
// no runtime events: Lock and RLock do that.
//
// Thread-safety: all members are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>

#include "racelens/detail/deadline.hpp"

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

}  // namespace racelens::detail
