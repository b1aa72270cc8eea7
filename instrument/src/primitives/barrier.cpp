// threading.Barrier, following CPython's state machine (Lib/threading.py):
// filling -> (last arrival runs the action) draining -> filling; reset() goes
// through resetting; abort(), a timeout or a failing action make it broken.
#include "racelens/barrier.hpp"

#include "racelens/detail/deadline.hpp"
#include "racelens/detail/sched.hpp"
#include "racelens/errors.hpp"

namespace racelens {

using detail::Site;

Barrier::Barrier(std::ptrdiff_t parties, std::function<void()> action, double timeout,
                 std::string_view name)
    : parties_(parties), action_(std::move(action)), timeout_(timeout), name_(name) {
  if (parties < 1) throw ValueError("parties must be >= 1");
  RACELENS_HOOK(OnObjectCreate, this, detail::ObjectKind::kBarrier, name_, RACELENS_SITE());
}

Barrier::~Barrier() { RACELENS_HOOK(OnObjectDestroy, this, RACELENS_SITE()); }

std::ptrdiff_t Barrier::wait() { return Wait(timeout_, RACELENS_SITE()); }
std::ptrdiff_t Barrier::wait(double timeout) { return Wait(timeout, RACELENS_SITE()); }

std::ptrdiff_t Barrier::Wait(double timeout, Site site) {
  RACELENS_SCHED_POINT();
  std::unique_lock lock(mutex_);
  Enter(lock);
  const std::ptrdiff_t index = count_++;
  RACELENS_HOOK(OnBarrierArrive, this, site, generation_);
  bool passed = false;
  try {
    if (index + 1 == parties_) {
      Release(lock);
    } else {
      RACELENS_HOOK(OnBlock, this, detail::BlockingCall::kBarrierWait, timeout, site);
      try {
        WaitForRelease(lock, timeout);
      } catch (...) {
        RACELENS_HOOK(OnUnblock, this);
        throw;
      }
      RACELENS_HOOK(OnUnblock, this);
    }
    passed = true;
  } catch (...) {
    --count_;
    Exit();
    RACELENS_HOOK(OnBarrierDepart, this, site, false, generation_);
    throw;
  }
  --count_;
  Exit();
  RACELENS_HOOK(OnBarrierDepart, this, site, passed, generation_);
  return index;
}

// Blocks while the barrier drains or resets.
void Barrier::Enter(std::unique_lock<std::mutex>& lock) {
  cv_.Wait(lock, detail::Deadline::Never(),
           [this] { return state_ != State::kDraining && state_ != State::kResetting; });
  if (state_ == State::kBroken) throw BrokenBarrierError();
}

// The last arrival: run the action, then let everybody go.
void Barrier::Release(std::unique_lock<std::mutex>& lock) {
  try {
    if (action_) {
      // Python runs the action with the barrier's lock held; so do we.
      action_();
    }
    state_ = State::kDraining;
    cv_.NotifyAll();
  } catch (...) {
    Break();
    throw;
  }
  (void)lock;
}

void Barrier::WaitForRelease(std::unique_lock<std::mutex>& lock, double timeout) {
  const auto deadline = detail::Deadline::After(timeout);
  if (!cv_.Wait(lock, deadline, [this] { return state_ != State::kFilling; })) {
    Break();
    throw BrokenBarrierError();
  }
  if (state_ == State::kBroken || state_ == State::kResetting) throw BrokenBarrierError();
}

// The last thread out of a draining or resetting barrier refills it.
void Barrier::Exit() {
  if (count_ == 0 && (state_ == State::kResetting || state_ == State::kDraining)) {
    state_ = State::kFilling;
    cv_.NotifyAll();
  }
}

void Barrier::reset() {
  std::lock_guard lock(mutex_);
  if (count_ > 0) {
    if (state_ == State::kFilling || state_ == State::kBroken) state_ = State::kResetting;
  } else {
    state_ = State::kFilling;
  }
  cv_.NotifyAll();
}

void Barrier::abort() {
  std::lock_guard lock(mutex_);
  Break();
}

void Barrier::Break() {
  state_ = State::kBroken;
  cv_.NotifyAll();
}

std::ptrdiff_t Barrier::n_waiting() const {
  std::lock_guard lock(mutex_);
  return state_ == State::kFilling ? count_ : 0;
}

bool Barrier::broken() const {
  std::lock_guard lock(mutex_);
  return state_ == State::kBroken;
}

}  // namespace racelens
