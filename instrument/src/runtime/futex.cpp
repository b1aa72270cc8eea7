#include "racelens/detail/futex.hpp"
#include "racelens/detail/futex_lock.hpp"
#include "racelens/detail/sched.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "schedule/scheduler.hpp"

namespace racelens::detail {
namespace {

// How often a contended acquire re-reads the word before sleeping in the kernel.
constexpr int kSpinIterations = 64;

std::uint32_t* Word(std::atomic<std::uint32_t>& a) {
  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));
  return reinterpret_cast<std::uint32_t*>(&a);
}

// A kernel timeout: a relative one, or an absolute CLOCK_MONOTONIC time given
// as the time since the steady clock's epoch.
timespec ToTimespec(std::chrono::steady_clock::duration d) {
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(d);
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(secs.count());
  ts.tv_nsec =
      static_cast<long>(std::chrono::duration_cast<std::chrono::nanoseconds>(d - secs).count());
  return ts;
}

}  // namespace

void FutexWait(std::atomic<std::uint32_t>& word, std::uint32_t expected, const Deadline& deadline) {
  if (SchedActive()) {
    if (schedule::Scheduler::Get()->Block(word, expected, deadline)) return;
    // A thread without a slot (it is about to be refused): the virtual deadline,
    // frozen while this thread runs outside the token, becomes a real timeout.
    if (!deadline.never()) {
      const timespec ts = ToTimespec(std::max(deadline.left(), deadline.left().zero()));
      syscall(SYS_futex, Word(word), FUTEX_WAIT_PRIVATE, expected, &ts, nullptr, 0);
      return;
    }
  }
  if (deadline.never()) {
    syscall(SYS_futex, Word(word), FUTEX_WAIT_PRIVATE, expected, nullptr, nullptr, 0);
    return;
  }
  // steady_clock is CLOCK_MONOTONIC, which FUTEX_WAIT_BITSET takes as an absolute time.
  const timespec ts = ToTimespec(deadline.when().time_since_epoch());
  syscall(SYS_futex, Word(word), FUTEX_WAIT_BITSET_PRIVATE, expected, &ts, nullptr,
          FUTEX_BITSET_MATCH_ANY);
}

void FutexWake(std::atomic<std::uint32_t>& word, int count) {
  if (SchedActive()) {
    // Every thread that can wait on a racelens word runs under the scheduler.
    schedule::Scheduler::Get()->Wake(word, count);
    return;
  }
  syscall(SYS_futex, Word(word), FUTEX_WAKE_PRIVATE, count, nullptr, nullptr, 0);
}

bool FutexLock::SpinLock() noexcept {
  if (SchedActive()) return TryLock();  // the holder cannot move while this thread spins
  for (int i = 0; i < kSpinIterations; ++i) {
    std::uint32_t c = state_.load(std::memory_order_relaxed);
    if (c == 0 &&
        state_.compare_exchange_weak(c, 1, std::memory_order_acquire, std::memory_order_relaxed)) {
      return true;
    }
    if (c == 2) return false;  // others already sleep: join them
    __builtin_ia32_pause();
  }
  return false;
}

bool FutexLock::Sleep(const Deadline& deadline) noexcept {
  std::uint32_t c = state_.exchange(2, std::memory_order_acquire);
  while (c != 0) {
    if (deadline.expired()) return false;
    FutexWait(state_, 2, deadline);
    c = state_.exchange(2, std::memory_order_acquire);
  }
  return true;
}

void FutexLock::Wake() noexcept { FutexWake(state_, 1); }

}  // namespace racelens::detail
