// events/event_listener.hpp — the interface detectors implement to receive runtime events.
//
// One virtual function per hook of racelens/detail/hooks.hpp, each with an
// empty default, so a listener overrides only what it consumes. Listeners
// are called synchronously on the thread that performed the operation,
// sometimes while the primitive holds its internal lock: they must not call
// back into racelens primitives and should return quickly.
//
// Thread-safety: a listener is called concurrently from many threads and
// must synchronise its own state.
#pragma once

#include <cstdint>
#include <string_view>

#include "racelens/detail/hooks.hpp"

namespace racelens::detail {

class EventListener {
 public:
  virtual ~EventListener() = default;

  virtual void OnObjectCreate(ThreadState&, const void*, ObjectKind, std::string_view, Site) {}
  virtual void OnObjectDestroy(ThreadState&, const void*, Site) {}

  virtual void OnMutexPreLock(ThreadState&, const void*, Site, bool /*try_lock*/) {}
  virtual void OnMutexPostLock(ThreadState&, const void*, Site, bool /*acquired*/,
                               int /*recursion*/, SyncClock& /*clock*/) {}
  virtual void OnMutexUnlock(ThreadState&, const void*, Site, int /*recursion_left*/,
                             SyncClock& /*clock*/) {}

  virtual void OnSemaphoreRelease(ThreadState&, const void*, Site, std::int64_t, SyncClock&) {}
  virtual void OnSemaphoreAcquire(ThreadState&, const void*, Site, bool, SyncClock&) {}

  virtual void OnEventSet(ThreadState&, const void*, Site, SyncClock&) {}
  virtual void OnEventClear(ThreadState&, const void*, Site) {}
  virtual void OnEventObserve(ThreadState&, const void*, Site, bool, SyncClock&) {}

  virtual void OnConditionNotify(ThreadState&, const void*, Site, SyncClock&) {}
  virtual void OnConditionWake(ThreadState&, const void*, Site, bool, SyncClock&) {}

  virtual void OnBarrierArrive(ThreadState&, const void*, Site, SyncClock&) {}
  virtual void OnBarrierDepart(ThreadState&, const void*, Site, bool, SyncClock&) {}

  virtual void OnQueuePut(ThreadState&, const void*, Site, SyncClock&) {}
  virtual void OnQueueGet(ThreadState&, const void*, Site, SyncClock&) {}
  virtual void OnQueueTaskDone(ThreadState&, const void*, Site, SyncClock&) {}
  virtual void OnQueueJoin(ThreadState&, const void*, Site, SyncClock&) {}

  virtual void OnThreadCreate(ThreadState& /*parent*/, ThreadState& /*child*/, Site) {}
  virtual void OnThreadStart(ThreadState&) {}
  virtual void OnThreadFinish(ThreadState&) {}
  virtual void OnThreadJoin(ThreadState&, ThreadState& /*joined*/, Site) {}

  // `shadow`: the tracked object's slot for per-location state, or null (hooks.hpp). Only one
  // listener may keep state in it, as in a SyncClock.
  virtual void OnMemoryAccess(ThreadState&, const void*, std::size_t, bool /*is_write*/,
                              const char* /*name*/, Site, SyncClock* /*shadow*/) {}
  // A read then a write at one site; by default the two accesses.
  virtual void OnMemoryUpdate(ThreadState& thr, const void* address, std::size_t size,
                              const char* name, Site site, SyncClock* shadow) {
    OnMemoryAccess(thr, address, size, false, name, site, shadow);
    OnMemoryAccess(thr, address, size, true, name, site, shadow);
  }

  virtual void OnBlock(ThreadState&, const void*, BlockingCall, double, Site) {}
  virtual void OnUnblock(ThreadState&, const void*) {}
  virtual void OnSleep(ThreadState&, double, Site) {}
  virtual void OnMisuse(ThreadState&, const void*, MisuseKind, std::string_view, Site) {}
};

}  // namespace racelens::detail
