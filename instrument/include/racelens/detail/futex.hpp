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
// A waiter spins briefly before sleeping (a hand-off often arrives within
// microseconds, and a kernel sleep and wake-up cost far more), and a notify
// makes no system call when nobody waits.
class CondVar {
 public:
  // Waits until pred() holds (true) or the deadline passes (pred()'s value).
  template <class Lock, class Pred>
  bool Wait(Lock& lock, const Deadline& deadline, Pred pred) {
    while (!pred()) {
      if (deadline.expired()) return pred();
      const std::uint32_t seq = seq_.load(std::memory_order_relaxed);
      waiters_.fetch_add(1, std::memory_order_relaxed);
      lock.unlock();
      if (!SpinWhile(seq)) FutexWait(seq_, seq, deadline);
      lock.lock();
      waiters_.fetch_sub(1, std::memory_order_relaxed);
    }
    return true;
  }
  void NotifyOne() noexcept {
    seq_.fetch_add(1, std::memory_order_relaxed);
    if (waiters_.load(std::memory_order_relaxed) > 0) FutexWake(seq_, 1);
  }
  void NotifyAll() noexcept {
    seq_.fetch_add(1, std::memory_order_relaxed);
    if (waiters_.load(std::memory_order_relaxed) > 0) FutexWake(seq_, 1 << 30);
  }

 private:
  static constexpr int kSpinIterations = 100;

  // True when the sequence moved (a notify came) while spinning.
  bool SpinWhile(std::uint32_t seq) const noexcept {
    for (int i = 0; i < kSpinIterations; ++i) {
      if (seq_.load(std::memory_order_relaxed) != seq) return true;
      __builtin_ia32_pause();
    }
    return false;
  }

  std::atomic<std::uint32_t> seq_{0};
  std::atomic<int> waiters_{0};  // changed only with the user's mutex held
};

}  // namespace racelens::detail
