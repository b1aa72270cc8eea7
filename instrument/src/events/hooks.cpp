// The hook entry points: each forwards its event to every registered listener.
#include "racelens/detail/hooks.hpp"

#include <utility>

#include "events/event_listener.hpp"
#include "events/listener_registry.hpp"
#include "racelens/detail/sched.hpp"
#include "runtime/runtime.hpp"
#include "runtime/thread_registry.hpp"

namespace racelens::detail {

std::atomic<bool> g_hooks_enabled{true};

namespace {
// Every primitive references g_hooks_enabled, so this file and its initializer are always linked.
[[maybe_unused]] const bool g_runtime_initialised = EnsureRuntime();
}  // namespace

ThreadState& CurrentThreadState() {
  // A known thread implies a started runtime.
  if (ThreadState* known = ThreadRegistry::CurrentIfKnown()) return *known;
  EnsureRuntime();  // a hook can fire before the runtime's static initializer ran
  return ThreadRegistry::Instance().Current();
}

namespace {
template <class... Params, class... Args>
void Dispatch(void (EventListener::*hook)(Params...), Args&&... args) {
  ListenerRegistry::Instance().ForEach([&](EventListener& l) { (l.*hook)(args...); });
}
}  // namespace

void OnObjectCreate(ThreadState& thr, const void* object, ObjectKind kind, std::string_view name,
                    Site site) {
  Dispatch(&EventListener::OnObjectCreate, thr, object, kind, name, site);
}
void OnObjectDestroy(ThreadState& thr, const void* object, Site site) {
  Dispatch(&EventListener::OnObjectDestroy, thr, object, site);
}
void OnMutexPreLock(ThreadState& thr, const void* object, Site site, bool try_lock) {
  RACELENS_SCHED_POINT();
  Dispatch(&EventListener::OnMutexPreLock, thr, object, site, try_lock);
}
void OnMutexPostLock(ThreadState& thr, const void* object, Site site, bool acquired, int recursion,
                     SyncClock& clock) {
  Dispatch(&EventListener::OnMutexPostLock, thr, object, site, acquired, recursion, clock);
}
void OnMutexUnlock(ThreadState& thr, const void* object, Site site, int recursion_left,
                   SyncClock& clock) {
  RACELENS_SCHED_POINT();
  Dispatch(&EventListener::OnMutexUnlock, thr, object, site, recursion_left, clock);
}
void OnSemaphoreRelease(ThreadState& thr, const void* object, Site site, std::int64_t n,
                        SyncClock& clock) {
  Dispatch(&EventListener::OnSemaphoreRelease, thr, object, site, n, clock);
}
void OnSemaphoreAcquire(ThreadState& thr, const void* object, Site site, bool acquired,
                        SyncClock& clock) {
  Dispatch(&EventListener::OnSemaphoreAcquire, thr, object, site, acquired, clock);
}
void OnEventSet(ThreadState& thr, const void* object, Site site, SyncClock& clock) {
  Dispatch(&EventListener::OnEventSet, thr, object, site, clock);
}
void OnEventClear(ThreadState& thr, const void* object, Site site) {
  Dispatch(&EventListener::OnEventClear, thr, object, site);
}
void OnEventObserve(ThreadState& thr, const void* object, Site site, bool observed_set,
                    SyncClock& clock) {
  Dispatch(&EventListener::OnEventObserve, thr, object, site, observed_set, clock);
}
void OnConditionNotify(ThreadState& thr, const void* object, Site site, SyncClock& waiter) {
  Dispatch(&EventListener::OnConditionNotify, thr, object, site, waiter);
}
void OnConditionWake(ThreadState& thr, const void* object, Site site, bool notified,
                     SyncClock& waiter) {
  Dispatch(&EventListener::OnConditionWake, thr, object, site, notified, waiter);
}
void OnBarrierArrive(ThreadState& thr, const void* object, Site site, SyncClock& generation) {
  Dispatch(&EventListener::OnBarrierArrive, thr, object, site, generation);
}
void OnBarrierDepart(ThreadState& thr, const void* object, Site site, bool passed,
                     SyncClock& generation) {
  Dispatch(&EventListener::OnBarrierDepart, thr, object, site, passed, generation);
}
void OnQueuePut(ThreadState& thr, const void* object, Site site, SyncClock& item) {
  RACELENS_SCHED_POINT();
  Dispatch(&EventListener::OnQueuePut, thr, object, site, item);
}
void OnQueueGet(ThreadState& thr, const void* object, Site site, SyncClock& item) {
  RACELENS_SCHED_POINT();
  Dispatch(&EventListener::OnQueueGet, thr, object, site, item);
}
void OnQueueTaskDone(ThreadState& thr, const void* object, Site site, SyncClock& all_done) {
  Dispatch(&EventListener::OnQueueTaskDone, thr, object, site, all_done);
}
void OnQueueJoin(ThreadState& thr, const void* object, Site site, SyncClock& all_done) {
  Dispatch(&EventListener::OnQueueJoin, thr, object, site, all_done);
}
void OnThreadCreate(ThreadState& parent, ThreadState& child, Site site) {
  RACELENS_SCHED_POINT();
  Dispatch(&EventListener::OnThreadCreate, parent, child, site);
}
void OnThreadStart(ThreadState& thr) { Dispatch(&EventListener::OnThreadStart, thr); }
void OnThreadFinish(ThreadState& thr) { Dispatch(&EventListener::OnThreadFinish, thr); }
void OnThreadJoin(ThreadState& thr, ThreadState& joined, Site site) {
  Dispatch(&EventListener::OnThreadJoin, thr, joined, site);
}
void OnMemoryAccess(ThreadState& thr, const void* address, std::size_t size, bool is_write,
                    const char* name, Site site, SyncClock* shadow) {
  RACELENS_SCHED_POINT();
  Dispatch(&EventListener::OnMemoryAccess, thr, address, size, is_write, name, site, shadow);
}
void OnMemoryUpdate(ThreadState& thr, const void* address, std::size_t size, const char* name,
                    Site site, SyncClock* shadow) {
  RACELENS_SCHED_POINT();
  Dispatch(&EventListener::OnMemoryUpdate, thr, address, size, name, site, shadow);
}
void OnBlock(ThreadState& thr, const void* object, BlockingCall call, double timeout, Site site) {
  Dispatch(&EventListener::OnBlock, thr, object, call, timeout, site);
}
void OnUnblock(ThreadState& thr, const void* object) {
  Dispatch(&EventListener::OnUnblock, thr, object);
}
void OnSleep(ThreadState& thr, double seconds, Site site) {
  RACELENS_SCHED_POINT();
  Dispatch(&EventListener::OnSleep, thr, seconds, site);
}
void OnMisuse(ThreadState& thr, const void* object, MisuseKind kind, std::string_view message,
              Site site) {
  Dispatch(&EventListener::OnMisuse, thr, object, kind, message, site);
}

}  // namespace racelens::detail
