// primitives/tsan_annotations.hpp — telling ThreadSanitizer what the primitives do.
//
// When the runtime is built with -fsanitize=thread (the `tsan` preset), these
// forward to sanitizer/tsan_interface.h; otherwise they compile to nothing.
// TSan does not see inside racelens' futex-based locks as locks, so:
//   - RLock, which has an owner, is announced as a write-reentrant mutex
//     (__tsan_mutex_*): TSan's reports then name it among the held mutexes,
//     and its lock-order checks cover it;
//   - Lock has no owner (Python lets any thread release it), which TSan's mutex
//     model forbids, so it is announced as happens-before only: a release
//     (__tsan_release) before the word is freed, an acquire (__tsan_acquire)
//     once it is taken.
// Between MutexPreLock and MutexPostLock (and PreUnlock/PostUnlock) TSan
// ignores the calling thread's memory accesses and synchronisation; runtime
// hooks called in such a region are wrapped in Divert().
//
// Thread-safety: as the TSan interface (any thread).
#pragma once

#if defined(__SANITIZE_THREAD__)
#define RACELENS_TSAN_ANNOTATIONS 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RACELENS_TSAN_ANNOTATIONS 1
#endif
#endif

#if defined(RACELENS_TSAN_ANNOTATIONS)
#include <sanitizer/tsan_interface.h>
#endif

namespace racelens::detail::tsan {

// The TSan flag values (sanitizer/tsan_interface.h), usable without TSan.
inline constexpr unsigned kWriteReentrant = 1u << 1;
inline constexpr unsigned kTryLock = 1u << 4;
inline constexpr unsigned kTryLockFailed = 1u << 5;
inline constexpr unsigned kRecursiveLock = 1u << 6;
inline constexpr unsigned kRecursiveUnlock = 1u << 7;

#if defined(RACELENS_TSAN_ANNOTATIONS)
static_assert(kWriteReentrant == __tsan_mutex_write_reentrant);
static_assert(kTryLock == __tsan_mutex_try_lock);
static_assert(kTryLockFailed == __tsan_mutex_try_lock_failed);
static_assert(kRecursiveLock == __tsan_mutex_recursive_lock);
static_assert(kRecursiveUnlock == __tsan_mutex_recursive_unlock);

inline void* Address(const void* object) { return const_cast<void*>(object); }

inline void MutexCreate(const void* m, unsigned flags) { __tsan_mutex_create(Address(m), flags); }
// Python may destroy a lock that is still held; TSan would call that a bug, so
// the destruction of a held mutex is announced with __tsan_mutex_not_static,
// which TSan ignores for a mutex created without it (its memory is forgotten
// when freed).
inline void MutexDestroy(const void* m, bool held) {
  __tsan_mutex_destroy(Address(m), held ? __tsan_mutex_not_static : 0);
}
inline void MutexPreLock(const void* m, unsigned flags) {
  __tsan_mutex_pre_lock(Address(m), flags);
}
inline void MutexPostLock(const void* m, unsigned flags, int recursion) {
  __tsan_mutex_post_lock(Address(m), flags, recursion);
}
inline int MutexPreUnlock(const void* m, unsigned flags) {
  return __tsan_mutex_pre_unlock(Address(m), flags);
}
inline void MutexPostUnlock(const void* m, unsigned flags) {
  __tsan_mutex_post_unlock(Address(m), flags);
}
inline void PreDivert(const void* m) { __tsan_mutex_pre_divert(Address(m), 0); }
inline void PostDivert(const void* m) { __tsan_mutex_post_divert(Address(m), 0); }
inline void Release(const void* object) { __tsan_release(Address(object)); }
inline void Acquire(const void* object) { __tsan_acquire(Address(object)); }
#else
inline void MutexCreate(const void*, unsigned) {}
inline void MutexDestroy(const void*, bool) {}
inline void MutexPreLock(const void*, unsigned) {}
inline void MutexPostLock(const void*, unsigned, int) {}
inline int MutexPreUnlock(const void*, unsigned) { return 0; }
inline void MutexPostUnlock(const void*, unsigned) {}
inline void PreDivert(const void*) {}
inline void PostDivert(const void*) {}
inline void Release(const void*) {}
inline void Acquire(const void*) {}
#endif

// Runs `f` (runtime hooks) from inside an annotated lock operation on `m`.
template <class F>
void Divert(const void* m, bool annotated, F&& f) {
  if (annotated) PreDivert(m);
  f();
  if (annotated) PostDivert(m);
}

}  // namespace racelens::detail::tsan
