#include "runtime/thread_state.hpp"

#include "racelens/detail/deadline.hpp"

namespace racelens::detail {

void ThreadState::RunEntry() {
  if (target) {
    target->Call();
  } else {
    self->run();
  }
}

bool ThreadState::SetDaemonBeforeStart(bool daemon) {
  std::lock_guard lock(mutex_);
  if (life_ != Life::kInitial) return false;
  daemon_ = daemon;
  return true;
}

bool ThreadState::MarkStarted() {
  std::lock_guard lock(mutex_);
  if (life_ != Life::kInitial) return false;
  life_ = Life::kStarted;
  return true;
}

void ThreadState::MarkRunning(std::uint64_t ident, std::uint64_t native_id) {
  std::lock_guard lock(mutex_);
  ident_ = ident;
  native_id_ = native_id;
  finished_cv_.NotifyAll();
}

void ThreadState::MarkFinished() {
  std::lock_guard lock(mutex_);
  life_ = Life::kFinished;
  finished_cv_.NotifyAll();
}

bool ThreadState::WaitRunning() {
  std::unique_lock lock(mutex_);
  finished_cv_.Wait(lock, Deadline::Never(),
                    [this] { return ident_.has_value() || life_ == Life::kFinished; });
  return ident_.has_value();
}

bool ThreadState::WaitFinished(double timeout) {
  const Deadline deadline = Deadline::After(timeout);
  std::unique_lock lock(mutex_);
  return finished_cv_.Wait(lock, deadline, [this] { return life_ == Life::kFinished; });
}

}  // namespace racelens::detail
