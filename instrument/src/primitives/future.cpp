// The untyped parts of Future<T>, as_completed() and wait(): racelens/detail/future_core.hpp.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "racelens/detail/future_core.hpp"
#include "racelens/detail/sched.hpp"
#include "racelens/errors.hpp"
#include "runtime/type_name.hpp"

namespace racelens {

const char* to_string(FutureState state) noexcept {
  switch (state) {
    case FutureState::PENDING:
      return "PENDING";
    case FutureState::RUNNING:
      return "RUNNING";
    case FutureState::CANCELLED:
      return "CANCELLED";
    case FutureState::CANCELLED_AND_NOTIFIED:
      return "CANCELLED_AND_NOTIFIED";
    case FutureState::FINISHED:
      return "FINISHED";
  }
  return "?";
}

namespace detail {
namespace {

// CPython's _STATE_TO_DESCRIPTION_MAP.
const char* Description(FutureState state) {
  switch (state) {
    case FutureState::PENDING:
      return "pending";
    case FutureState::RUNNING:
      return "running";
    case FutureState::CANCELLED:
    case FutureState::CANCELLED_AND_NOTIFIED:
      return "cancelled";
    case FutureState::FINISHED:
      return "finished";
  }
  return "?";
}

std::string ExceptionTypeName(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return ShortTypeName(typeid(e));
  } catch (...) {
    return "unknown exception";
  }
}

std::string ExceptionText(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return TypeName(typeid(e)) + ": " + e.what();
  } catch (...) {
    return "unknown exception (not derived from std::exception)";
  }
}

}  // namespace

std::string ShortTypeName(const std::type_info& type) {
  std::string name = TypeName(type);
  if (name.find('<') != std::string::npos) return name;
  const auto colons = name.rfind("::");
  return colons == std::string::npos ? name : name.substr(colons + 2);
}

FutureCore::~FutureCore() = default;

FutureCore::Observers& FutureCore::ObserversLocked() {
  if (observers_ == nullptr) observers_ = std::make_unique<Observers>();
  return *observers_;
}

FutureCore::Callbacks FutureCore::TakeCallbacksLocked() {
  Callbacks callbacks;
  if (observers_ != nullptr) callbacks.swap(observers_->callbacks);
  return callbacks;
}

void FutureCore::ReleaseCompletion() const {
  RACELENS_HOOK(OnQueuePut, this, nullptr, completion_);
}

void FutureCore::AcquireCompletion(Site site) const {
  RACELENS_HOOK(OnQueueGet, this, site, completion_);
}

bool FutureCore::Cancel() {
  std::unique_lock lock(mutex_);
  if (state_ == FutureState::RUNNING || state_ == FutureState::FINISHED) return false;
  if (state_ == FutureState::CANCELLED || state_ == FutureState::CANCELLED_AND_NOTIFIED) {
    return true;
  }
  ReleaseCompletion();
  state_ = FutureState::CANCELLED;
  done_cv_.NotifyAll();
  Callbacks callbacks = TakeCallbacksLocked();
  lock.unlock();
  RunCallbacks(callbacks, *this);
  return true;
}

bool FutureCore::Cancelled() const {
  std::lock_guard lock(mutex_);
  const bool cancelled =
      state_ == FutureState::CANCELLED || state_ == FutureState::CANCELLED_AND_NOTIFIED;
  if (cancelled) AcquireCompletion(nullptr);
  return cancelled;
}

bool FutureCore::Running() const {
  std::lock_guard lock(mutex_);
  return state_ == FutureState::RUNNING;
}

bool FutureCore::Done() const {
  RACELENS_SCHED_POINT();
  std::lock_guard lock(mutex_);
  const bool done = DoneLocked();
  if (done) AcquireCompletion(nullptr);
  return done;
}

FutureState FutureCore::State() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::exception_ptr FutureCore::Await(double timeout, BlockingCall call, Site site) const {
  RACELENS_SCHED_POINT();
  const Deadline deadline = Deadline::After(timeout);
  std::unique_lock lock(mutex_);
  if (!DoneLocked() && timeout != 0) {
    RACELENS_HOOK(OnBlock, this, call, timeout, site);
    done_cv_.Wait(lock, deadline, [this] { return DoneLocked(); });
    RACELENS_HOOK(OnUnblock, this);
  }
  if (state_ == FutureState::CANCELLED || state_ == FutureState::CANCELLED_AND_NOTIFIED) {
    AcquireCompletion(site);
    throw CancelledError();
  }
  if (state_ == FutureState::FINISHED) {
    AcquireCompletion(site);
    return exception_;
  }
  throw TimeoutError("");
}

bool FutureCore::WaitDone(double timeout, BlockingCall call, Site site) const {
  RACELENS_SCHED_POINT();
  const Deadline deadline = Deadline::After(timeout);
  std::unique_lock lock(mutex_);
  if (!DoneLocked() && timeout != 0) {
    RACELENS_HOOK(OnBlock, this, call, timeout, site);
    done_cv_.Wait(lock, deadline, [this] { return DoneLocked(); });
    RACELENS_HOOK(OnUnblock, this);
  }
  if (!DoneLocked()) return false;
  AcquireCompletion(site);
  return true;
}

void FutureCore::AddDoneCallback(Callback callback) {
  {
    std::lock_guard lock(mutex_);
    if (!DoneLocked()) {
      ObserversLocked().callbacks.push_back(std::move(callback));
      return;
    }
    AcquireCompletion(nullptr);
  }
  Callbacks one;
  one.push_back(std::move(callback));
  RunCallbacks(one, *this);
}

void FutureCore::RunCallbacks(Callbacks& callbacks, FutureCore& core) {
  for (Callback& callback : callbacks) {
    try {
      callback(core);
    } catch (...) {
      // As CPython's LOGGER.exception: report and go on with the next callback.
      const std::string text = "exception calling callback for " + core.Repr() + "\n" +
                               ExceptionText(std::current_exception()) + "\n";
      std::fputs(text.c_str(), stderr);
      std::fflush(stderr);
    }
  }
  callbacks.clear();
}

bool FutureCore::SetRunningOrNotifyCancel() {
  std::lock_guard lock(mutex_);
  if (state_ == FutureState::CANCELLED) {
    state_ = FutureState::CANCELLED_AND_NOTIFIED;
    if (observers_ != nullptr) {
      for (FutureWaiter* waiter : observers_->waiters) waiter->Add(this, false);
    }
    return false;
  }
  if (state_ == FutureState::PENDING) {
    state_ = FutureState::RUNNING;
    return true;
  }
  throw RuntimeError("Future in unexpected state");
}

void FutureCore::Finish(std::exception_ptr error, Store store, void* value, Callbacks* deferred) {
  std::unique_lock lock(mutex_);
  if (DoneLocked()) {
    throw InvalidStateError(std::string(to_string(state_)) + ": " + ReprLocked());
  }
  if (error == nullptr && store != nullptr) store(*this, value);
  exception_ = std::move(error);
  ReleaseCompletion();
  state_ = FutureState::FINISHED;
  const bool raised = exception_ != nullptr;
  done_cv_.NotifyAll();
  if (observers_ == nullptr) return;
  for (FutureWaiter* waiter : observers_->waiters) waiter->Add(this, raised);
  if (observers_->callbacks.empty()) return;
  Callbacks callbacks = TakeCallbacksLocked();
  lock.unlock();
  if (deferred != nullptr) {
    for (Callback& c : callbacks) deferred->push_back(std::move(c));
    return;
  }
  RunCallbacks(callbacks, *this);
}

std::string FutureCore::Repr() const {
  std::lock_guard lock(mutex_);
  return ReprLocked();
}

std::string FutureCore::ReprLocked() const {
  char address[32];
  std::snprintf(address, sizeof address, "%#" PRIxPTR, reinterpret_cast<std::uintptr_t>(this));
  std::string text = std::string("<Future at ") + address + " state=" + Description(state_);
  if (state_ == FutureState::FINISHED) {
    text += exception_ != nullptr ? " raised " + ExceptionTypeName(exception_)
                                  : " returned " + ResultTypeName();
  }
  return text + ">";
}

bool FutureCore::DoneOrInstall(FutureWaiter* waiter) {
  std::lock_guard lock(mutex_);
  if (state_ == FutureState::CANCELLED_AND_NOTIFIED || state_ == FutureState::FINISHED) {
    return true;
  }
  ObserversLocked().waiters.push_back(waiter);
  return false;
}

void FutureCore::RemoveWaiter(FutureWaiter* waiter) {
  std::lock_guard lock(mutex_);
  if (observers_ != nullptr) std::erase(observers_->waiters, waiter);
}

bool FutureCore::FinishedWithException() const {
  std::lock_guard lock(mutex_);
  return state_ == FutureState::FINISHED && exception_ != nullptr;
}

// --- FutureWaiter ----------------------------------------------------------

void FutureWaiter::Add(FutureCore* future, bool raised) {
  std::lock_guard lock(mutex_);
  finished_.push_back(future);
  switch (mode_) {
    case Mode::kAsCompleted:
    case Mode::kFirstCompleted:
      event_ = true;
      break;
    case Mode::kFirstException:
      if (raised) {
        event_ = true;
        break;
      }
      [[fallthrough]];
    case Mode::kAllCompleted:
      if (pending_ > 0 && --pending_ == 0) event_ = true;
      break;
  }
  if (event_) cv_.NotifyAll();
}

bool FutureWaiter::Wait(const Deadline& deadline, double timeout, BlockingCall call, Site site) {
  std::unique_lock lock(mutex_);
  if (!event_ && timeout != 0) {
    RACELENS_HOOK(OnBlock, this, call, timeout, site);
    cv_.Wait(lock, deadline, [this] { return event_; });
    RACELENS_HOOK(OnUnblock, this);
  }
  const bool signalled = event_;
  event_ = false;
  return signalled;
}

std::vector<FutureCore*> FutureWaiter::TakeFinished() {
  std::lock_guard lock(mutex_);
  std::vector<FutureCore*> finished;
  finished.swap(finished_);
  return finished;
}

}  // namespace detail
}  // namespace racelens
