// racelens/lock.hpp — threading.Lock.
//
// A non-recursive lock that any thread may release, as in Python: it has no
// owner. It satisfies the C++ *Lockable* and *TimedLockable* requirements,
// so `std::lock_guard`, `std::unique_lock` and `std::scoped_lock` work — the
// `with lock:` of C++.
//
//   acquire(blocking=true, timeout=-1)  true when acquired
//   release()                           RuntimeError("release unlocked lock") when unlocked
//   locked()                            whether some thread holds it
//
// `acquire(false, t)` with `t` >= 0 raises ValueError("can't specify a timeout
// for a non-blocking call"); a negative timeout other than -1 raises
// ValueError("timeout value must be a non-negative number"); a timeout above
// TIMEOUT_MAX raises OverflowError — all as CPython's lock does. Re-acquiring
// a Lock the thread already holds blocks (it is not recursive).
//
// Every misuse is also reported to the runtime before the exception is thrown.
// Thread-safety: all members are thread-safe. Destroying a Lock that another
// thread waits on is undefined.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "racelens/detail/futex_lock.hpp"

namespace racelens {

class Lock {
 public:
  explicit Lock(std::string_view name = {});
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;
  ~Lock();

  bool acquire(bool blocking = true, double timeout = -1);
  void release();
  bool locked() const noexcept;

  // Lockable / TimedLockable.
  void lock();
  void unlock();
  bool try_lock();
  template <class Rep, class Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period>& d) {
    return acquire(true, std::chrono::duration<double>(d).count());
  }
  template <class Clock, class Duration>
  bool try_lock_until(const std::chrono::time_point<Clock, Duration>& t) {
    const double left = std::chrono::duration<double>(t - Clock::now()).count();
    return left > 0 ? acquire(true, left) : try_lock();
  }

  const std::string& name() const noexcept { return name_; }

 private:
  friend class Condition;
  bool Acquire(bool blocking, double timeout, const void* site);
  void Release(const void* site);

  detail::FutexLock lock_;
  std::string name_;
};

}  // namespace racelens
