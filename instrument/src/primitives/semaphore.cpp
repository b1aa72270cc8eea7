#include "racelens/semaphore.hpp"

#include "racelens/detail/deadline.hpp"
#include "racelens/detail/sched.hpp"
#include "racelens/errors.hpp"

namespace racelens {

using detail::Site;

namespace {
std::int64_t CheckInitialValue(std::int64_t value, Site site) {
  if (value < 0) {
    RACELENS_HOOK(OnMisuse, nullptr, detail::MisuseKind::kNegativeSemaphoreValue,
                  "semaphore initial value must be >= 0", site);
    throw ValueError("semaphore initial value must be >= 0");
  }
  return value;
}
}  // namespace

Semaphore::Semaphore(std::int64_t value, std::string_view name)
    : Semaphore(value, name, detail::ObjectKind::kSemaphore) {}

Semaphore::Semaphore(std::int64_t value, std::string_view name, detail::ObjectKind kind)
    : value_(CheckInitialValue(value, RACELENS_SITE())), name_(name) {
  RACELENS_HOOK(OnObjectCreate, this, kind, name_, RACELENS_SITE());
}

Semaphore::~Semaphore() { RACELENS_HOOK(OnObjectDestroy, this, RACELENS_SITE()); }

bool Semaphore::Acquire(bool blocking, double timeout, Site site) {
  RACELENS_SCHED_POINT();
  if (!blocking && timeout >= 0) {
    RACELENS_HOOK(OnMisuse, this, detail::MisuseKind::kTimeoutOnNonBlockingCall,
                  "can't specify timeout for non-blocking acquire", site);
    throw ValueError("can't specify timeout for non-blocking acquire");
  }
  const auto deadline = detail::Deadline::After(timeout);
  std::unique_lock lock(mutex_);
  bool acquired = value_ > 0;
  if (!acquired && blocking) {
    RACELENS_HOOK(OnBlock, this, detail::BlockingCall::kSemaphoreAcquire, timeout, site);
    ++waiters_;
    acquired = cv_.Wait(lock, deadline, [this] { return value_ > 0; });
    --waiters_;
    RACELENS_HOOK(OnUnblock, this);
  }
  if (acquired) --value_;
  RACELENS_HOOK(OnSemaphoreAcquire, this, site, acquired, clock_);
  return acquired;
}

void Semaphore::ReleaseChecked(std::int64_t n, std::int64_t bound, Site site) {
  RACELENS_SCHED_POINT();
  if (n < 1) throw ValueError("n must be one or more");
  std::lock_guard lock(mutex_);
  if (bound >= 0 && value_ + n > bound) {
    RACELENS_HOOK(OnMisuse, this, detail::MisuseKind::kSemaphoreOverRelease,
                  "Semaphore released too many times", site);
    throw ValueError("Semaphore released too many times");
  }
  RACELENS_HOOK(OnSemaphoreRelease, this, site, n, clock_);
  value_ += n;
  if (waiters_ == 0) return;
  if (n == 1) {
    cv_.NotifyOne();
  } else {
    cv_.NotifyAll();
  }
}

bool Semaphore::acquire(bool blocking, double timeout) {
  return Acquire(blocking, timeout, RACELENS_SITE());
}
void Semaphore::release(std::int64_t n) { ReleaseChecked(n, -1, RACELENS_SITE()); }
std::int64_t Semaphore::value() const {
  std::lock_guard lock(mutex_);
  return value_;
}

BoundedSemaphore::BoundedSemaphore(std::int64_t value, std::string_view name)
    : Semaphore(value, name, detail::ObjectKind::kBoundedSemaphore), initial_value_(value) {}

void BoundedSemaphore::release(std::int64_t n) {
  ReleaseChecked(n, initial_value_, RACELENS_SITE());
}

}  // namespace racelens
