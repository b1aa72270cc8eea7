#include "racelens/condition.hpp"

#include <algorithm>

#include "racelens/detail/futex.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/detail/sched.hpp"
#include "racelens/errors.hpp"

namespace racelens {

using detail::Site;

// One blocked wait(): lives on the waiting thread's stack. The notifier sets
// `notified` under `mutex`, while holding the condition's waiters_mutex_, so
// the waiter cannot return (and destroy this) before the notifier is done.
struct Condition::Waiter {
  std::mutex mutex;
  detail::CondVar cv;
  bool notified = false;
  detail::SyncClock clock;
};

Condition::Condition() : owned_lock_(std::make_unique<RLock>()), rlock_(owned_lock_.get()) {
  RACELENS_HOOK(OnObjectCreate, this, detail::ObjectKind::kCondition, name_, RACELENS_SITE());
}

Condition::Condition(std::nullptr_t, std::string_view name)
    : owned_lock_(std::make_unique<RLock>(name)), rlock_(owned_lock_.get()), name_(name) {
  RACELENS_HOOK(OnObjectCreate, this, detail::ObjectKind::kCondition, name_, RACELENS_SITE());
}

Condition::Condition(Lock& lock, std::string_view name) : plain_lock_(&lock), name_(name) {
  RACELENS_HOOK(OnObjectCreate, this, detail::ObjectKind::kCondition, name_, RACELENS_SITE());
}

Condition::Condition(RLock& lock, std::string_view name) : rlock_(&lock), name_(name) {
  RACELENS_HOOK(OnObjectCreate, this, detail::ObjectKind::kCondition, name_, RACELENS_SITE());
}

Condition::~Condition() { RACELENS_HOOK(OnObjectDestroy, this, RACELENS_SITE()); }

bool Condition::IsOwned() const {
  if (rlock_ != nullptr) return rlock_->is_owned();
  // CPython's test for a plain Lock, which has no owner: is it locked at all?
  if (plain_lock_->lock_.TryLock()) {
    plain_lock_->lock_.Unlock();
    return false;
  }
  return true;
}

bool Condition::wait(double timeout) {
  RACELENS_SCHED_POINT();
  const Site site = RACELENS_SITE();
  if (!IsOwned()) {
    RACELENS_HOOK(OnMisuse, this, detail::MisuseKind::kWaitWithoutLock,
                  "cannot wait on un-acquired lock", site);
    throw RuntimeError("cannot wait on un-acquired lock");
  }
  const auto deadline = detail::Deadline::After(timeout);
  Waiter waiter;
  {
    std::lock_guard guard(waiters_mutex_);
    waiters_.push_back(&waiter);
  }
  int saved = 0;
  if (rlock_ != nullptr) {
    saved = rlock_->ReleaseSave(site);
  } else {
    plain_lock_->Release(site);
  }
  RACELENS_HOOK(OnBlock, this, detail::BlockingCall::kConditionWait, timeout, site);
  bool notified;
  {
    std::unique_lock wl(waiter.mutex);
    notified = waiter.cv.Wait(wl, deadline, [&waiter] { return waiter.notified; });
  }
  RACELENS_HOOK(OnUnblock, this);
  if (rlock_ != nullptr) {
    rlock_->AcquireRestore(saved, site);
  } else {
    plain_lock_->Acquire(true, -1, site);
  }
  if (!notified) {
    std::lock_guard guard(waiters_mutex_);
    auto it = std::find(waiters_.begin(), waiters_.end(), &waiter);
    if (it != waiters_.end()) {
      waiters_.erase(it);
    } else {
      notified = true;  // a notify() picked us after the timeout fired
    }
  }
  RACELENS_HOOK(OnConditionWake, this, site, notified, waiter.clock);
  return notified;
}

void Condition::notify(std::ptrdiff_t n) { Notify(n, false, RACELENS_SITE()); }
void Condition::notify_all() { Notify(0, true, RACELENS_SITE()); }

void Condition::Notify(std::ptrdiff_t n, bool all, Site site) {
  RACELENS_SCHED_POINT();
  if (!IsOwned()) {
    RACELENS_HOOK(OnMisuse, this, detail::MisuseKind::kNotifyWithoutLock,
                  "cannot notify on un-acquired lock", site);
    throw RuntimeError("cannot notify on un-acquired lock");
  }
  std::lock_guard guard(waiters_mutex_);
  const std::size_t count =
      all ? waiters_.size() : std::min<std::size_t>(waiters_.size(), n > 0 ? n : 0);
  for (std::size_t i = 0; i < count; ++i) {
    Waiter* w = waiters_[i];
    std::lock_guard wl(w->mutex);
    RACELENS_HOOK(OnConditionNotify, this, site, w->clock);
    w->notified = true;
    w->cv.NotifyOne();
  }
  waiters_.erase(waiters_.begin(), waiters_.begin() + static_cast<std::ptrdiff_t>(count));
}

bool Condition::acquire(bool blocking, double timeout) {
  return rlock_ != nullptr ? rlock_->Acquire(blocking, timeout, RACELENS_SITE())
                           : plain_lock_->Acquire(blocking, timeout, RACELENS_SITE());
}

void Condition::release() {
  if (rlock_ != nullptr) {
    rlock_->Release(RACELENS_SITE());
  } else {
    plain_lock_->Release(RACELENS_SITE());
  }
}

void Condition::lock() { acquire(); }
void Condition::unlock() { release(); }
bool Condition::try_lock() { return acquire(false); }

}  // namespace racelens
