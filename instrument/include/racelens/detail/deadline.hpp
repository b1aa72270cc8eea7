// racelens/detail/deadline.hpp — turning Python-style timeouts into deadlines (internal).
//
// A timeout is a double in seconds; a negative timeout means "no timeout"
// (Python's None). Timeouts above `racelens::TIMEOUT_MAX` raise
// `OverflowError`, as CPython does. Deadlines use the steady clock, read
// through SteadyNow().
//
// SteadyNow() is the runtime's one reading of the steady clock: deadlines,
// `sleep`, `monotonic` and the detector's timestamps all go through it, so
// that the controlled scheduler can put them on its virtual clock by
// installing a reader in `g_steady_now` (tests install a fake one).
//
// Thread-safety: Deadline is a plain value. SteadyNow() may be called from
// any thread. Install a reader before threads wait on deadlines: a deadline
// taken on one clock means nothing on another.
#pragma once

#include <atomic>
#include <chrono>
#include <cmath>

#include "racelens/errors.hpp"

namespace racelens {

// The largest timeout a blocking call accepts, in seconds (threading.TIMEOUT_MAX).
inline constexpr double TIMEOUT_MAX = 9223372036.0;

namespace detail {

using SteadyClockReader = std::chrono::steady_clock::time_point (*)() noexcept;

// Null: SteadyNow() reads std::chrono::steady_clock.
extern std::atomic<SteadyClockReader> g_steady_now;

inline std::chrono::steady_clock::time_point SteadyNow() noexcept {
  const SteadyClockReader read = g_steady_now.load(std::memory_order_relaxed);
  return read == nullptr ? std::chrono::steady_clock::now() : read();
}

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  static Deadline Never() noexcept { return Deadline(); }

  // `timeout` seconds from now; no deadline when `timeout` is negative.
  // Throws OverflowError when `timeout` exceeds TIMEOUT_MAX or is NaN.
  static Deadline After(double timeout) {
    if (timeout < 0) return Never();
    if (!(timeout <= TIMEOUT_MAX)) throw OverflowError("timeout value is too large");
    Deadline d;
    d.never_ = false;
    const auto now = SteadyNow();
    const double max_left = std::chrono::duration<double>(Clock::time_point::max() - now).count();
    if (timeout >= max_left) {
      d.when_ = Clock::time_point::max();
    } else {
      d.when_ =
          now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout));
    }
    return d;
  }

  bool never() const noexcept { return never_; }
  Clock::time_point when() const noexcept { return when_; }
  bool expired() const noexcept { return !never_ && SteadyNow() >= when_; }
  // The time until the deadline (negative once passed); only meaningful when !never().
  Clock::duration left() const noexcept { return when_ - SteadyNow(); }

 private:
  Deadline() = default;
  bool never_ = true;
  Clock::time_point when_ = Clock::time_point::max();
};

}  // namespace detail
}  // namespace racelens
