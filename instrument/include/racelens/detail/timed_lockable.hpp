// racelens/detail/timed_lockable.hpp — TimedLockable members from acquire(blocking, timeout).
//
// A CRTP base: `class Lock : public detail::TimedLockable<Lock>` gains
// try_lock_for / try_lock_until for any std::chrono duration or clock.
#pragma once

#include <chrono>

namespace racelens::detail {

template <class Derived>
class TimedLockable {
 public:
  template <class Rep, class Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period>& d) {
    const double seconds = std::chrono::duration<double>(d).count();
    return seconds > 0 ? Self().acquire(true, seconds) : Self().try_lock();
  }
  template <class Clock, class Duration>
  bool try_lock_until(const std::chrono::time_point<Clock, Duration>& t) {
    return try_lock_for(t - Clock::now());
  }

 private:
  Derived& Self() { return static_cast<Derived&>(*this); }
};

}  // namespace racelens::detail
