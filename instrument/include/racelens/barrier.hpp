// racelens/barrier.hpp — threading.Barrier.
//
//   Barrier(parties, action={}, timeout=-1)   ValueError("parties must be >= 1") when parties < 1
//   wait(timeout)   block until `parties` threads called wait(); returns this
//                   thread's arrival index (0 .. parties-1). The last thread to
//                   arrive runs `action` first. Raises BrokenBarrierError when the
//                   barrier is or becomes broken (abort(), reset() while
//                   threads wait, a timeout, or an action that throws — the
//                   action's own exception reaches the thread that ran it).
//                   Without an argument the constructor's timeout applies.
//   reset()         back to the empty state; current waiters get BrokenBarrierError
//   abort()         break the barrier
//   parties(), n_waiting(), broken()
//
// Thread-safety: all members are thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "racelens/detail/futex.hpp"
#include "racelens/detail/hooks.hpp"

namespace racelens {

class Barrier {
 public:
  explicit Barrier(std::ptrdiff_t parties, std::function<void()> action = {}, double timeout = -1,
                   std::string_view name = {});
  Barrier(const Barrier&) = delete;
  Barrier& operator=(const Barrier&) = delete;
  ~Barrier();

  std::ptrdiff_t wait();
  std::ptrdiff_t wait(double timeout);
  void reset();
  void abort();

  std::ptrdiff_t parties() const noexcept { return parties_; }
  std::ptrdiff_t n_waiting() const;
  bool broken() const;

  const std::string& name() const noexcept { return name_; }

 private:
  enum class State { kFilling, kDraining, kResetting, kBroken };
  std::ptrdiff_t Wait(double timeout, const void* site);
  void Enter(std::unique_lock<std::mutex>& lock);
  void Release(std::unique_lock<std::mutex>& lock);
  void WaitForRelease(std::unique_lock<std::mutex>& lock, double timeout);
  void Exit();
  void Break();

  const std::ptrdiff_t parties_;
  std::function<void()> action_;
  const double timeout_;
  mutable std::mutex mutex_;
  detail::CondVar cv_;
  State state_ = State::kFilling;
  std::ptrdiff_t count_ = 0;
  detail::SyncClock generation_;
  std::string name_;
};

}  // namespace racelens
