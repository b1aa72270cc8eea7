// primitives/lock_arguments.hpp — what Lock.acquire and RLock.acquire share:
// CPython's argument checks and the blocking attempt on the futex word.
#pragma once

#include "primitives/tsan_annotations.hpp"
#include "racelens/detail/deadline.hpp"
#include "racelens/detail/futex_lock.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/errors.hpp"

namespace racelens::detail {

// ValueError for a timeout on a non-blocking call (also reported as misuse)
// and for a negative timeout other than -1; OverflowError above TIMEOUT_MAX.
// Checked before any attempt, as CPython does, so a bad call never takes the lock.
inline void CheckLockArguments(const void* lock, bool blocking, double timeout, Site site) {
  if (timeout == -1) return;
  if (!blocking) {
    RACELENS_HOOK(OnMisuse, lock, MisuseKind::kTimeoutOnNonBlockingCall,
                  "can't specify a timeout for a non-blocking call", site);
    throw ValueError("can't specify a timeout for a non-blocking call");
  }
  if (timeout < 0) throw ValueError("timeout value must be a non-negative number");
  if (!(timeout <= TIMEOUT_MAX)) throw OverflowError("timeout value is too large");
}

// Takes `lock` (the word of `object`): at once, or — when `blocking` — waiting
// up to `timeout` seconds, reported to the runtime as a `call` block.
// `tsan_mutex`: the caller announced the attempt to ThreadSanitizer as a mutex
// lock (tsan_annotations.hpp), so the runtime hooks run diverted.
inline bool AcquireFutexLock(FutexLock& lock, const void* object, BlockingCall call, bool blocking,
                             double timeout, Site site, bool tsan_mutex = false) {
  if (lock.TryLock()) return true;
  if (!blocking) return false;
  // A short spin first: contention that ends within microseconds (the usual
  // case) is not announced as a block, which would capture a stack.
  if (lock.SpinLock()) return true;
  const auto deadline = Deadline::After(timeout);
  tsan::Divert(object, tsan_mutex, [&] { RACELENS_HOOK(OnBlock, object, call, timeout, site); });
  const bool acquired = lock.Sleep(deadline);
  tsan::Divert(object, tsan_mutex, [&] { RACELENS_HOOK(OnUnblock, object); });
  return acquired;
}

}  // namespace racelens::detail
