// racelens/semaphore.hpp — threading.Semaphore and threading.BoundedSemaphore.
//
//   Semaphore(value=1)                   ValueError("semaphore initial value must be >= 0")
//                                        when value < 0
//   acquire(blocking=true, timeout=-1)   decrement, blocking while the value is 0;
//                                        false when not acquired
//   release(n=1)                         increment by n, waking up to n waiters;
//                                        ValueError("n must be one or more") when n < 1
//   value()                              the current value (for tests and reports)
//
// `acquire(false, t)` with `t` >= 0 raises ValueError("can't specify timeout
// for non-blocking acquire") — CPython's wording for semaphores.
// BoundedSemaphore::release raises ValueError("Semaphore released too many
// times") when the value would exceed the initial value.
// Both are *Lockable* (lock = acquire(), unlock = release()).
//
// Thread-safety: all members are thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "racelens/detail/futex.hpp"
#include "racelens/detail/hooks.hpp"

namespace racelens {

class Semaphore {
 public:
  explicit Semaphore(std::int64_t value = 1, std::string_view name = {});
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;
  virtual ~Semaphore();

  bool acquire(bool blocking = true, double timeout = -1);
  virtual void release(std::int64_t n = 1);
  std::int64_t value() const;

  void lock() { acquire(); }
  void unlock() { release(); }
  bool try_lock() { return acquire(false); }

  const std::string& name() const noexcept { return name_; }

 protected:
  Semaphore(std::int64_t value, std::string_view name, detail::ObjectKind kind);
  void ReleaseChecked(std::int64_t n, std::int64_t bound, const void* site);

 private:
  bool Acquire(bool blocking, double timeout, const void* site);

  mutable std::mutex mutex_;
  detail::CondVar cv_;
  std::int64_t value_;
  std::int64_t waiters_ = 0;
  detail::SyncClock clock_;
  std::string name_;
};

class BoundedSemaphore : public Semaphore {
 public:
  explicit BoundedSemaphore(std::int64_t value = 1, std::string_view name = {});
  void release(std::int64_t n = 1) override;

 private:
  std::int64_t initial_value_;
};

}  // namespace racelens
