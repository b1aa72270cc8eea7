// racelens/rlock.hpp — threading.RLock.
//
// A re-entrant lock: the owning thread may acquire it again; each acquire
// must be matched by a release, and only the owner may release it.
//
//   acquire(blocking=true, timeout=-1)  true when acquired (or re-entered)
//   release()                           RuntimeError("cannot release un-acquired lock")
//                                       when the caller does not own it
//   locked()                            whether some thread owns it
//   is_owned()                          whether the calling thread owns it
//   recursion_count()                   the owner's depth (0 when the caller does not own it)
//
// Timeout rules are Lock's. *Lockable* and *TimedLockable*, like Lock.
// Thread-safety: all members are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "racelens/detail/futex_lock.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/detail/timed_lockable.hpp"

namespace racelens {

class RLock : public detail::TimedLockable<RLock> {
 public:
  explicit RLock(std::string_view name = {});
  RLock(const RLock&) = delete;
  RLock& operator=(const RLock&) = delete;
  ~RLock();

  bool acquire(bool blocking = true, double timeout = -1);
  void release();
  bool locked() const noexcept;
  bool is_owned() const noexcept;
  int recursion_count() const noexcept;

  void lock();
  void unlock();
  bool try_lock();

  const std::string& name() const noexcept { return name_; }

 private:
  friend class Condition;
  bool Acquire(bool blocking, double timeout, const void* site);
  void Release(const void* site);
  // Condition.wait's _release_save / _acquire_restore: drop every level, then restore them.
  int ReleaseSave(const void* site);
  void AcquireRestore(int count, const void* site);

  detail::FutexLock lock_;
  std::atomic<std::uintptr_t> owner_{0};
  int count_ = 0;  // written only by the owner
  std::string name_;
  detail::SyncClock clock_;  // the detector's clock of this lock (lock -> unlock edges)
};

}  // namespace racelens
