#include "racelens/rlock.hpp"

#include "primitives/lock_arguments.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/errors.hpp"

namespace racelens {
namespace {

using detail::Site;

// A per-thread address: unique among live threads, and cheaper than pthread_self().
thread_local char t_owner_tag;

std::uintptr_t Me() noexcept { return reinterpret_cast<std::uintptr_t>(&t_owner_tag); }

}  // namespace

RLock::RLock(std::string_view name) : name_(name) {
  detail::tsan::MutexCreate(this, detail::tsan::kWriteReentrant);
  RACELENS_HOOK(OnObjectCreate, this, detail::ObjectKind::kRLock, name_, RACELENS_SITE());
}

RLock::~RLock() {
  RACELENS_HOOK(OnObjectDestroy, this, RACELENS_SITE());
  detail::tsan::MutexDestroy(this, lock_.Locked());
}

bool RLock::Acquire(bool blocking, double timeout, Site site) {
  detail::CheckLockArguments(this, blocking, timeout, site);
  const std::uintptr_t me = Me();
  // Only this thread ever stores `me`, so a relaxed read cannot see it spuriously.
  if (owner_.load(std::memory_order_relaxed) == me) {
    detail::tsan::MutexPreLock(this, 0);
    detail::tsan::MutexPostLock(this, 0, 0);
    ++count_;
    RACELENS_HOOK(OnMutexPostLock, this, site, true, count_, clock_);
    return true;
  }
  RACELENS_HOOK(OnMutexPreLock, this, site, !blocking);
  // An attempt that may fail is a try-lock to TSan.
  const unsigned tsan_flags = !blocking || timeout >= 0 ? detail::tsan::kTryLock : 0;
  detail::tsan::MutexPreLock(this, tsan_flags);
  const bool acquired = detail::AcquireFutexLock(lock_, this, detail::BlockingCall::kRLockAcquire,
                                                 blocking, timeout, site, /*tsan_mutex=*/true);
  if (acquired) {
    owner_.store(me, std::memory_order_relaxed);
    count_ = 1;
  }
  detail::tsan::MutexPostLock(this, tsan_flags | (acquired ? 0 : detail::tsan::kTryLockFailed), 0);
  RACELENS_HOOK(OnMutexPostLock, this, site, acquired, acquired ? 1 : 0, clock_);
  return acquired;
}

void RLock::Release(Site site) {
  if (owner_.load(std::memory_order_relaxed) != Me()) {
    RACELENS_HOOK(OnMisuse, this, detail::MisuseKind::kReleaseUnownedRLock,
                  "cannot release un-acquired lock", site);
    throw RuntimeError("cannot release un-acquired lock");
  }
  --count_;
  RACELENS_HOOK(OnMutexUnlock, this, site, count_, clock_);
  detail::tsan::MutexPreUnlock(this, 0);
  if (count_ == 0) {
    owner_.store(0, std::memory_order_relaxed);
    lock_.Unlock();
  }
  detail::tsan::MutexPostUnlock(this, 0);
}

int RLock::ReleaseSave(Site site) {
  const int saved = count_;
  RACELENS_HOOK(OnMutexUnlock, this, site, 0, clock_);
  detail::tsan::MutexPreUnlock(this, detail::tsan::kRecursiveUnlock);
  count_ = 0;
  owner_.store(0, std::memory_order_relaxed);
  lock_.Unlock();
  detail::tsan::MutexPostUnlock(this, detail::tsan::kRecursiveUnlock);
  return saved;
}

void RLock::AcquireRestore(int count, Site site) {
  RACELENS_HOOK(OnMutexPreLock, this, site, false);
  detail::tsan::MutexPreLock(this, 0);
  detail::AcquireFutexLock(lock_, this, detail::BlockingCall::kRLockAcquire, true, -1, site,
                           /*tsan_mutex=*/true);
  owner_.store(Me(), std::memory_order_relaxed);
  count_ = count;
  detail::tsan::MutexPostLock(this, detail::tsan::kRecursiveLock, count);
  RACELENS_HOOK(OnMutexPostLock, this, site, true, count, clock_);
}

bool RLock::acquire(bool blocking, double timeout) {
  return Acquire(blocking, timeout, RACELENS_SITE());
}
void RLock::release() { Release(RACELENS_SITE()); }
bool RLock::locked() const noexcept { return lock_.Locked(); }
bool RLock::is_owned() const noexcept { return owner_.load(std::memory_order_relaxed) == Me(); }
int RLock::recursion_count() const noexcept { return is_owned() ? count_ : 0; }
void RLock::lock() { Acquire(true, -1, RACELENS_SITE()); }
void RLock::unlock() { Release(RACELENS_SITE()); }
bool RLock::try_lock() { return Acquire(false, -1, RACELENS_SITE()); }

}  // namespace racelens
