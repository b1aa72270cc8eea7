// racelens/detail/deadline.hpp — turning Python-style timeouts into deadlines (internal).
//
// A timeout is a double in seconds; a negative timeout means "no timeout"
// (Python's None). Timeouts above `racelens::TIMEOUT_MAX` raise
// `OverflowError`, as CPython does. Deadlines use the steady clock.
//
// Thread-safety: plain values.
#pragma once

#include <chrono>
#include <cmath>

#include "racelens/errors.hpp"

namespace racelens {

// The largest timeout a blocking call accepts, in seconds (threading.TIMEOUT_MAX).
inline constexpr double TIMEOUT_MAX = 9223372036.0;

namespace detail {

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
    const auto now = Clock::now();
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
  bool expired() const noexcept { return !never_ && Clock::now() >= when_; }

 private:
  Deadline() = default;
  bool never_ = true;
  Clock::time_point when_ = Clock::time_point::max();
};

}  // namespace detail
}  // namespace racelens
