// as_completed() and wait(): racelens/future_wait.hpp.
#include "racelens/future_wait.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "racelens/errors.hpp"

namespace racelens::detail {
namespace {

FutureWaiter::Mode ModeOf(ReturnWhen return_when) {
  switch (return_when) {
    case ReturnWhen::FIRST_COMPLETED:
      return FutureWaiter::Mode::kFirstCompleted;
    case ReturnWhen::FIRST_EXCEPTION:
      return FutureWaiter::Mode::kFirstException;
    case ReturnWhen::ALL_COMPLETED:
      return FutureWaiter::Mode::kAllCompleted;
  }
  return FutureWaiter::Mode::kAllCompleted;
}

}  // namespace

void FutureWaiter::Settle(std::size_t count) {
  std::lock_guard lock(mutex_);
  pending_ -= std::min(pending_, count);
  if (pending_ == 0 && (mode_ == Mode::kAllCompleted || mode_ == Mode::kFirstException)) {
    event_ = true;
  }
}

std::vector<bool> WaitForFutures(const std::vector<FutureCore*>& futures, double timeout,
                                 ReturnWhen return_when, Site site) {
  const Deadline deadline = Deadline::After(timeout);
  FutureWaiter waiter(ModeOf(return_when), futures.size());
  std::vector<bool> done(futures.size(), false);
  std::unordered_map<FutureCore*, std::size_t> installed;
  std::size_t done_count = 0;
  bool raised = false;
  for (std::size_t i = 0; i < futures.size(); ++i) {
    if (futures[i]->DoneOrInstall(&waiter)) {
      done[i] = true;
      ++done_count;
      raised = raised || futures[i]->FinishedWithException();
    } else {
      installed.emplace(futures[i], i);
    }
  }
  waiter.Settle(done_count);
  // CPython's early returns, decided on the snapshot.
  const bool ready = (return_when == ReturnWhen::FIRST_COMPLETED && done_count > 0) ||
                     (return_when == ReturnWhen::FIRST_EXCEPTION && raised) ||
                     done_count == futures.size();
  if (!ready) waiter.Wait(deadline, timeout, BlockingCall::kFuturesWait, site);
  for (const auto& [future, index] : installed) future->RemoveWaiter(&waiter);
  if (!ready) {
    for (FutureCore* future : waiter.TakeFinished()) {
      if (const auto it = installed.find(future); it != installed.end()) done[it->second] = true;
    }
  }
  for (std::size_t i = 0; i < futures.size(); ++i) {
    if (done[i]) futures[i]->AcquireCompletion(site);
  }
  return done;
}

AsCompletedCore::AsCompletedCore(const std::vector<FutureCore*>& futures, double timeout)
    : deadline_(Deadline::After(timeout)),
      timeout_(timeout),
      total_(futures.size()),
      waiter_(FutureWaiter::Mode::kAsCompleted, futures.size()) {
  for (FutureCore* future : futures) {
    if (future->DoneOrInstall(&waiter_)) {
      ready_.push_back(future);
    } else {
      pending_.insert(future);
      installed_.insert(future);
    }
  }
}

AsCompletedCore::~AsCompletedCore() {
  for (FutureCore* future : installed_) future->RemoveWaiter(&waiter_);
}

FutureCore* AsCompletedCore::Next(Site site) {
  for (;;) {
    if (!ready_.empty()) {
      FutureCore* future = ready_.front();
      ready_.pop_front();
      // Handed out: the caller may drop it, so it must not keep a pointer to the waiter.
      if (installed_.erase(future) > 0) future->RemoveWaiter(&waiter_);
      future->AcquireCompletion(site);
      return future;
    }
    if (pending_.empty()) return nullptr;
    if (deadline_.expired()) {
      throw TimeoutError(std::to_string(pending_.size()) + " (of " + std::to_string(total_) +
                         ") futures unfinished");
    }
    waiter_.Wait(deadline_, timeout_, BlockingCall::kAsCompleted, site);
    for (FutureCore* future : waiter_.TakeFinished()) {
      if (pending_.erase(future) > 0) ready_.push_back(future);
    }
  }
}

}  // namespace racelens::detail
