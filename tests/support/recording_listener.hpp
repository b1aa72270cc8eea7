// tests/support/recording_listener.hpp — an EventListener that records which hooks fired.
//
// Records (hook name, object) pairs from the threads of the test, so a test
// can assert that an operation reported the events a detector needs.
#pragma once

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "events/event_listener.hpp"
#include "events/listener_registry.hpp"
#include "runtime/thread_state.hpp"

namespace racelens::testing {

class RecordingListener : public detail::EventListener {
 public:
  struct Record {
    std::string hook;
    const void* object;
    int thread;  // runtime id
  };

  std::vector<Record> records() const {
    std::lock_guard lock(mutex_);
    return records_;
  }
  // How many times `hook` fired for `object` (any object when null).
  int Count(const std::string& hook, const void* object = nullptr) const {
    std::lock_guard lock(mutex_);
    return static_cast<int>(std::count_if(records_.begin(), records_.end(), [&](const Record& r) {
      return r.hook == hook && (object == nullptr || r.object == object);
    }));
  }
  std::vector<std::string> HooksFor(const void* object) const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& r : records_) {
      if (r.object == object) out.push_back(r.hook);
    }
    return out;
  }
  void Clear() {
    std::lock_guard lock(mutex_);
    records_.clear();
  }

  using Site = detail::Site;
  using ThreadState = detail::ThreadState;
  using SyncClock = detail::SyncClock;

  void OnObjectCreate(ThreadState& t, const void* o, detail::ObjectKind, std::string_view,
                      Site) override {
    Add("ObjectCreate", o, t);
  }
  void OnObjectDestroy(ThreadState& t, const void* o, Site) override { Add("ObjectDestroy", o, t); }
  void OnMutexPreLock(ThreadState& t, const void* o, Site, bool) override {
    Add("MutexPreLock", o, t);
  }
  void OnMutexPostLock(ThreadState& t, const void* o, Site, bool acquired, int,
                       SyncClock&) override {
    Add(acquired ? "MutexPostLock" : "MutexPostLockFailed", o, t);
  }
  void OnMutexUnlock(ThreadState& t, const void* o, Site, int, SyncClock&) override {
    Add("MutexUnlock", o, t);
  }
  void OnSemaphoreRelease(ThreadState& t, const void* o, Site, std::int64_t, SyncClock&) override {
    Add("SemaphoreRelease", o, t);
  }
  void OnSemaphoreAcquire(ThreadState& t, const void* o, Site, bool, SyncClock&) override {
    Add("SemaphoreAcquire", o, t);
  }
  void OnEventSet(ThreadState& t, const void* o, Site, SyncClock&) override {
    Add("EventSet", o, t);
  }
  void OnEventClear(ThreadState& t, const void* o, Site) override { Add("EventClear", o, t); }
  void OnEventObserve(ThreadState& t, const void* o, Site, bool seen, SyncClock&) override {
    Add(seen ? "EventObserveSet" : "EventObserveUnset", o, t);
  }
  void OnConditionNotify(ThreadState& t, const void* o, Site, SyncClock&) override {
    Add("ConditionNotify", o, t);
  }
  void OnConditionWake(ThreadState& t, const void* o, Site, bool notified, SyncClock&) override {
    Add(notified ? "ConditionWake" : "ConditionTimeout", o, t);
  }
  void OnBarrierArrive(ThreadState& t, const void* o, Site, SyncClock&) override {
    Add("BarrierArrive", o, t);
  }
  void OnBarrierDepart(ThreadState& t, const void* o, Site, bool, SyncClock&) override {
    Add("BarrierDepart", o, t);
  }
  void OnQueuePut(ThreadState& t, const void* o, Site, SyncClock&) override {
    Add("QueuePut", o, t);
  }
  void OnQueueGet(ThreadState& t, const void* o, Site, SyncClock&) override {
    Add("QueueGet", o, t);
  }
  void OnQueueTaskDone(ThreadState& t, const void* o, Site, SyncClock&) override {
    Add("QueueTaskDone", o, t);
  }
  void OnQueueJoin(ThreadState& t, const void* o, Site, SyncClock&) override {
    Add("QueueJoin", o, t);
  }
  void OnThreadCreate(ThreadState& parent, ThreadState& child, Site) override {
    Add("ThreadCreate", &child, parent);
  }
  void OnThreadStart(ThreadState& t) override { Add("ThreadStart", &t, t); }
  void OnThreadFinish(ThreadState& t) override { Add("ThreadFinish", &t, t); }
  void OnThreadJoin(ThreadState& t, ThreadState& joined, Site) override {
    Add("ThreadJoin", &joined, t);
  }
  void OnBlock(ThreadState& t, const void* o, detail::BlockingCall, double, Site) override {
    Add("Block", o, t);
  }
  void OnUnblock(ThreadState& t, const void* o) override { Add("Unblock", o, t); }
  void OnSleep(ThreadState& t, double, Site) override { Add("Sleep", nullptr, t); }
  void OnMisuse(ThreadState& t, const void* o, detail::MisuseKind, std::string_view message,
                Site) override {
    Add("Misuse:" + std::string(message), o, t);
  }

 private:
  void Add(std::string hook, const void* object, const ThreadState& t) {
    std::lock_guard lock(mutex_);
    records_.push_back({std::move(hook), object, t.id});
  }

  mutable std::mutex mutex_;
  std::vector<Record> records_;
};

}  // namespace racelens::testing
