// racelens/detail/futex.hpp — sleeping on a 32-bit word (internal).
//
// Thin wrappers over Linux futexes with steady-clock deadlines. They carry
// no state of their own, so nothing blocks when the object that holds the
// word is destroyed at process exit while a daemon thread still sleeps on it
// (glibc's pthread_cond_destroy waits for its waiters, which would hang exit).
//
// Thread-safety: thread-safe.
#pragma once

#include <atomic>
#include <cstdint>

#include "racelens/detail/deadline.hpp"

namespace racelens::detail {

// Sleeps while `word` holds `expected`, until woken or the deadline passes.
// May return spuriously; callers re-check their condition.
void FutexWait(std::atomic<std::uint32_t>& word, std::uint32_t expected, const Deadline& deadline);
// Wakes up to `count` threads sleeping on `word`.
void FutexWake(std::atomic<std::uint32_t>& word, int count);

// A condition variable for a std::mutex, built on a futex sequence number.
// Notify while holding the mutex the waiters use; then no wake-up is lost.
class CondVar {
 public:
  // Waits until pred() holds (true) or the deadline passes (pred()'s value).
  template <class Lock, class Pred>
  bool Wait(Lock& lock, const Deadline& deadline, Pred pred) {
    while (!pred()) {
      if (deadline.expired()) return pred();
      const std::uint32_t seq = seq_.load(std::memory_order_relaxed);
      lock.unlock();
      FutexWait(seq_, seq, deadline);
      lock.lock();
    }
    return true;
  }
  void NotifyOne() noexcept {
    seq_.fetch_add(1, std::memory_order_relaxed);
    FutexWake(seq_, 1);
  }
  void NotifyAll() noexcept {
    seq_.fetch_add(1, std::memory_order_relaxed);
    FutexWake(seq_, 1 << 30);
  }

 private:
  std::atomic<std::uint32_t> seq_{0};
};

}  // namespace racelens::detail
