#include "racelens/event.hpp"

#include "racelens/detail/deadline.hpp"
#include "racelens/detail/sched.hpp"

namespace racelens {

using detail::Site;

Event::Event(std::string_view name) : name_(name) {
  RACELENS_HOOK(OnObjectCreate, this, detail::ObjectKind::kEvent, name_, RACELENS_SITE());
}

Event::~Event() { RACELENS_HOOK(OnObjectDestroy, this, RACELENS_SITE()); }

bool Event::is_set() const {
  RACELENS_SCHED_POINT();
  const Site site = RACELENS_SITE();
  std::lock_guard lock(mutex_);
  RACELENS_HOOK(OnEventObserve, this, site, flag_, clock_);
  return flag_;
}

void Event::set() {
  RACELENS_SCHED_POINT();
  const Site site = RACELENS_SITE();
  std::lock_guard lock(mutex_);
  RACELENS_HOOK(OnEventSet, this, site, clock_);
  flag_ = true;
  ++generation_;
  cv_.NotifyAll();
}

void Event::clear() {
  RACELENS_SCHED_POINT();
  const Site site = RACELENS_SITE();
  std::lock_guard lock(mutex_);
  RACELENS_HOOK(OnEventClear, this, site);
  flag_ = false;
}

bool Event::wait(double timeout) {
  RACELENS_SCHED_POINT();
  const Site site = RACELENS_SITE();
  const auto deadline = detail::Deadline::After(timeout);
  std::unique_lock lock(mutex_);
  // As CPython: a set() during the wait counts even if a clear() follows before we wake.
  bool signalled = flag_;
  if (!signalled) {
    const std::uint64_t generation = generation_;
    RACELENS_HOOK(OnBlock, this, detail::BlockingCall::kEventWait, timeout, site);
    signalled = cv_.Wait(lock, deadline, [&] { return flag_ || generation_ != generation; });
    RACELENS_HOOK(OnUnblock, this);
  }
  RACELENS_HOOK(OnEventObserve, this, site, signalled, clock_);
  return signalled;
}

}  // namespace racelens
