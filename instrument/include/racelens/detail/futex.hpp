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
#include "racelens/detail/futex_lock.hpp"
#include "racelens/detail/sched.hpp"

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
// makes a system call only when a waiter sleeps in the kernel: a waiter that
// is still spinning sees the sequence move by itself.
class CondVar {
 public:
  // Waits until pred() holds (true) or the deadline passes (pred()'s value).
  template <class Lock, class Pred>
  bool Wait(Lock& lock, const Deadline& deadline, Pred pred) {
    return Wait(lock, deadline, pred, [] {});
  }
  // As above; `before_sleep()` runs once, with `lock` released, before the
  // first sleep in the kernel. A wait that ends while spinning never calls it
  // (a blocking call is announced only when the thread really blocks).
  template <class Lock, class Pred, class BeforeSleep>
  bool Wait(Lock& lock, const Deadline& deadline, Pred pred, BeforeSleep&& before_sleep) {
    bool announced = false;
    while (!pred()) {
      if (deadline.expired()) return pred();
      const std::uint32_t seq = seq_.load(std::memory_order_relaxed);
      lock.unlock();
      if (!SpinWhile(seq)) {
        if (!announced) {
          announced = true;
          before_sleep();
        }
        // Sequentially consistent with NotifyOne/NotifyAll's increment: either the
        // notifier sees this sleeper, or the kernel sees the new sequence number.
        sleepers_.fetch_add(1, std::memory_order_seq_cst);
        FutexWait(seq_, seq, deadline);
        sleepers_.fetch_sub(1, std::memory_order_relaxed);
      }
      lock.lock();
    }
    return true;
  }
  void NotifyOne() noexcept {
    seq_.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) FutexWake(seq_, 1);
  }
  void NotifyAll() noexcept {
    seq_.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) FutexWake(seq_, 1 << 30);
  }

 private:
  static constexpr int kSpinIterations = 100;
  static constexpr int kYields = 8;

  // True when the sequence moved (a notify came) while spinning. After the
  // pauses it yields the CPU a few times: with more threads than CPUs the
  // notifier may be waiting for this one.
  // Under the controlled scheduler the notifier cannot run while this thread
  // spins: no spinning at all.
  bool SpinWhile(std::uint32_t seq) const noexcept {
    if (SchedActive()) return seq_.load(std::memory_order_relaxed) != seq;
    for (Backoff backoff(kSpinIterations); backoff.rounds() < kSpinIterations + kYields;
         backoff.Pause()) {
      if (seq_.load(std::memory_order_relaxed) != seq) return true;
    }
    return false;
  }

  std::atomic<std::uint32_t> seq_{0};
  std::atomic<int> sleepers_{0};  // waiters in FutexWait (or about to enter it)
};

}  // namespace racelens::detail
