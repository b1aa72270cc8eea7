#include "racelens/lock.hpp"

#include "primitives/lock_arguments.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/errors.hpp"

namespace racelens {

using detail::Site;

Lock::Lock(std::string_view name) : name_(name) {
  RACELENS_HOOK(OnObjectCreate, this, detail::ObjectKind::kLock, name_, RACELENS_SITE());
}

Lock::~Lock() { RACELENS_HOOK(OnObjectDestroy, this, RACELENS_SITE()); }

bool Lock::Acquire(bool blocking, double timeout, Site site) {
  detail::CheckLockArguments(this, blocking, timeout, site);
  RACELENS_HOOK(OnMutexPreLock, this, site, !blocking);
  const bool acquired = detail::AcquireFutexLock(lock_, this, detail::BlockingCall::kLockAcquire,
                                                 blocking, timeout, site);
  if (acquired) detail::tsan::Acquire(this);
  RACELENS_HOOK(OnMutexPostLock, this, site, acquired, 1, clock_);
  return acquired;
}

void Lock::Release(Site site) {
  // Read the word first only when a listener needs the event before the release: an
  // extra read of a contended line costs the fast path dearly (bench: Lock_Contended).
  if (detail::HooksEnabled() && lock_.Locked()) {
    RACELENS_HOOK(OnMutexUnlock, this, site, 0, clock_);
  }
  detail::tsan::Release(this);
  if (lock_.Unlock()) return;
  RACELENS_HOOK(OnMisuse, this, detail::MisuseKind::kReleaseUnlockedLock, "release unlocked lock",
                site);
  throw RuntimeError("release unlocked lock");
}

bool Lock::acquire(bool blocking, double timeout) {
  return Acquire(blocking, timeout, RACELENS_SITE());
}
void Lock::release() { Release(RACELENS_SITE()); }
bool Lock::locked() const noexcept { return lock_.Locked(); }
void Lock::lock() { Acquire(true, -1, RACELENS_SITE()); }
void Lock::unlock() { Release(RACELENS_SITE()); }
bool Lock::try_lock() { return Acquire(false, -1, RACELENS_SITE()); }

}  // namespace racelens
