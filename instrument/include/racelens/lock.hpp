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
#include <cstdint>
#include <string>
#include <string_view>

#include "racelens/detail/futex_lock.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/detail/timed_lockable.hpp"

namespace racelens {

class Lock : public detail::TimedLockable<Lock> {
 public:
  explicit Lock(std::string_view name = {});
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;
  ~Lock();

  bool acquire(bool blocking = true, double timeout = -1);
  void release();
  bool locked() const noexcept;

  // Lockable (TimedLockable through the base).
  void lock();
  void unlock();
  bool try_lock();

  const std::string& name() const noexcept { return name_; }

 private:
  friend class Condition;
  bool Acquire(bool blocking, double timeout, const void* site);
  void Release(const void* site);

  detail::FutexLock lock_;
  std::string name_;
  detail::SyncClock clock_;  // the detector's clock of this lock (lock -> unlock edges)
};

}  // namespace racelens
