// racelens/condition.hpp — threading.Condition.
//
// A condition variable bound to a lock: by default its own RLock (as in
// Python), or a Lock / RLock the caller passes and keeps alive.
//
//   wait(timeout=-1)            release the lock, block until notified or the
//                               timeout passes, re-acquire; false on timeout
//   wait_for(pred, timeout=-1)  wait until pred() is true; returns pred()'s last value
//   notify(n=1), notify_all()   wake up to n waiters, oldest first
//   acquire/release, lock/unlock/try_lock   the underlying lock (*Lockable*)
//
// wait() and notify() without holding the lock raise RuntimeError("cannot wait
// on un-acquired lock") / RuntimeError("cannot notify on un-acquired lock").
// With a plain Lock, "holding" means "locked by some thread", as CPython
// checks it. A notify with no waiter is lost: wait() does not see earlier
// notifies, so wait in a loop that re-tests the condition (or use wait_for).
//
// Thread-safety: all members are thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "racelens/detail/deadline.hpp"
#include "racelens/lock.hpp"
#include "racelens/rlock.hpp"

namespace racelens {

class Condition {
 public:
  // Owns a new RLock.
  Condition();
  explicit Condition(std::nullptr_t, std::string_view name = {});
  explicit Condition(Lock& lock, std::string_view name = {});
  explicit Condition(RLock& lock, std::string_view name = {});
  Condition(const Condition&) = delete;
  Condition& operator=(const Condition&) = delete;
  ~Condition();

  bool wait(double timeout = -1);

  template <class Predicate>
  bool wait_for(Predicate predicate, double timeout = -1) {
    auto result = predicate();
    if (result) return static_cast<bool>(result);
    if (timeout < 0) {
      while (!result) {
        wait();
        result = predicate();
      }
      return static_cast<bool>(result);
    }
    const auto deadline = detail::Deadline::After(timeout);
    while (!result) {
      const double left = std::chrono::duration<double>(deadline.left()).count();
      if (left <= 0) break;
      wait(left);
      result = predicate();
    }
    return static_cast<bool>(result);
  }

  void notify(std::ptrdiff_t n = 1);
  void notify_all();

  bool acquire(bool blocking = true, double timeout = -1);
  void release();
  void lock();
  void unlock();
  bool try_lock();

  const std::string& name() const noexcept { return name_; }

 private:
  struct Waiter;
  bool IsOwned() const;
  void Notify(std::ptrdiff_t n, bool all, const void* site);

  std::unique_ptr<RLock> owned_lock_;
  Lock* plain_lock_ = nullptr;
  RLock* rlock_ = nullptr;
  std::mutex waiters_mutex_;
  std::vector<Waiter*> waiters_;  // oldest first
  std::string name_;
};

}  // namespace racelens
