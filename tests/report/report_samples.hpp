// Hand-made reports of every kind, shared by the report writer tests.
#pragma once

#include <string>
#include <vector>

#include "report/report.hpp"

namespace racelens::report::samples {

inline Frame At(std::string function, std::string file, int line, std::uintptr_t pc = 0) {
  return Frame{std::move(function), std::move(file), line, pc};
}

inline ThreadRef Started(int id, std::string name, Stack created_at, int parent = 0) {
  return ThreadRef{id, std::move(name), parent, std::move(created_at)};
}

// The unlocked counter of DESIGN.md § Reports.
inline Report DataRace() {
  Report r;
  r.kind = Kind::kDataRace;
  r.title = "data race on 'value'";
  r.summary = "data race samples/nolock_counter.cpp:18 in getlock()";
  Access write;
  write.type = AccessType::kWrite;
  write.thread = 3;
  write.object = "value";
  write.size = 4;
  write.stack = {At("getlock()", "samples/nolock_counter.cpp", 18, 0x401a2b),
                 At("worker(int)", "samples/nolock_counter.cpp", 22, 0x401b00)};
  Access read;
  read.type = AccessType::kRead;
  read.thread = 7;
  read.object = "value";
  read.size = 4;
  read.stack = {At("getlock()", "samples/nolock_counter.cpp", 16, 0x401a10)};
  read.previous = true;
  r.accesses = {write, read};
  r.threads = {Started(3, "Thread-3", {At("main", "samples/nolock_counter.cpp", 25, 0x401c00)}),
               Started(7, "Thread-7", {At("main", "samples/nolock_counter.cpp", 25, 0x401c00)})};
  r.schedule = Schedule{"pct", 17, "racelens replay --schedule pct --seed 17 -- ./nolock_counter"};
  r.pid = 4242;
  return r;
}

// The wait-then-clear Event consumer.
inline Report EventRace() {
  Report r;
  r.kind = Kind::kEventRace;
  r.title = "event race on 'event'";
  r.summary = "event race samples/event_consumer.cpp:14 in consumer()";
  Access clear;
  clear.type = AccessType::kEventClear;
  clear.thread = 2;
  clear.object = "event";
  clear.call = "Event.clear()";
  clear.stack = {At("consumer()", "samples/event_consumer.cpp", 14)};
  Access set;
  set.type = AccessType::kEventSet;
  set.thread = 1;
  set.object = "event";
  set.call = "Event.set()";
  set.stack = {At("producer()", "samples/event_consumer.cpp", 8)};
  set.previous = true;
  r.accesses = {clear, set};
  r.threads = {Started(1, "Thread-1", {At("main", "samples/event_consumer.cpp", 20)}),
               Started(2, "Thread-2", {At("main", "samples/event_consumer.cpp", 21)})};
  r.pid = 77;
  return r;
}

// AB-BA between two threads.
inline Report LockOrderInversion() {
  Report r;
  r.kind = Kind::kLockOrderInversion;
  r.title = "lock-order-inversion (potential deadlock)";
  r.summary = "lock-order-inversion samples/ab_ba.cpp:12 in first()";
  r.locks = {LockRef{1, "lock_a"}, LockRef{2, "lock_b"}};
  r.cycle = {1, 2};
  r.edges = {LockOrderEdge{1,
                           2,
                           1,
                           {At("first()", "samples/ab_ba.cpp", 11)},
                           {At("first()", "samples/ab_ba.cpp", 12)}},
             LockOrderEdge{2,
                           1,
                           2,
                           {At("second()", "samples/ab_ba.cpp", 17)},
                           {At("second()", "samples/ab_ba.cpp", 18)}}};
  r.threads = {Started(1, "Thread-1", {At("main", "samples/ab_ba.cpp", 24)}),
               Started(2, "Thread-2", {At("main", "samples/ab_ba.cpp", 25)})};
  r.schedule = Schedule{"random", 3, "racelens replay --schedule random --seed 3 -- ./ab_ba"};
  r.pid = 100;
  return r;
}

// The AB-BA inversion with the threads' recorded history (Report::timeline).
inline Report LockOrderWithTimeline() {
  Report r = LockOrderInversion();
  r.timeline = {
      TimelineEvent{10, 1, "Lock.acquire()", "M1 'lock_a'", At("first()", "samples/ab_ba.cpp", 11)},
      TimelineEvent{11, 1, "Lock.acquire()", "M2 'lock_b'", At("first()", "samples/ab_ba.cpp", 12)},
      TimelineEvent{12, 1, "Lock.release()", "M2 'lock_b'", At("first()", "samples/ab_ba.cpp", 13)},
      TimelineEvent{40, 2, "Lock.acquire()", "M2 'lock_b'",
                    At("second()", "samples/ab_ba.cpp", 17)},
      TimelineEvent{18446744073709551615ull, 2, "Lock.acquire()", "M1 'lock_a'",
                    At("second()", "samples/ab_ba.cpp", 18, 0x401d00)}};
  return r;
}

// Queue.join() with a missing task_done(): every live thread blocked.
inline Report StuckDeadlock() {
  Report r;
  r.kind = Kind::kDeadlock;
  r.title = "deadlock (every live thread is blocked)";
  r.summary = "deadlock samples/queue_join.cpp:30 in main";
  r.message = "Every live thread is blocked and no timeout is pending.";
  Access join;
  join.type = AccessType::kBlockingCall;
  join.thread = 0;
  join.object = "q";
  join.call = "Queue.join()";
  join.stack = {At("main", "samples/queue_join.cpp", 30)};
  Access get;
  get.type = AccessType::kBlockingCall;
  get.thread = 2;
  get.call = "Queue.get()";
  get.stack = {At("worker()", "samples/queue_join.cpp", 12)};
  r.accesses = {join, get};
  r.threads = {ThreadRef{0, "MainThread", std::nullopt, {}},
               Started(2, "Thread-2", {At("main", "samples/queue_join.cpp", 28)})};
  r.pid = 9;
  return r;
}

// AB-BA that really deadlocked: a wait-for cycle.
inline Report CycleDeadlock() {
  Report r;
  r.kind = Kind::kDeadlock;
  r.title = "deadlock (wait-for cycle)";
  r.summary = "deadlock samples/ab_ba.cpp:12 in first()";
  r.locks = {LockRef{1, "lock_a"}, LockRef{2, "lock_b"}};
  r.cycle = {1, 2};
  Access first;
  first.type = AccessType::kBlockingCall;
  first.thread = 1;
  first.object = "lock_b";
  first.call = "Lock.acquire()";
  first.stack = {At("first()", "samples/ab_ba.cpp", 12)};
  first.locks_held = {1};
  Access second;
  second.type = AccessType::kBlockingCall;
  second.thread = 2;
  second.object = "lock_a";
  second.call = "Lock.acquire()";
  second.stack = {At("second()", "samples/ab_ba.cpp", 18)};
  second.locks_held = {2};
  r.accesses = {first, second};
  r.threads = {Started(1, "Thread-1", {At("main", "samples/ab_ba.cpp", 24)}),
               Started(2, "Thread-2", {At("main", "samples/ab_ba.cpp", 25)})};
  r.pid = 100;
  return r;
}

// Lock.release() on an unlocked lock.
inline Report Misuse() {
  Report r;
  r.kind = Kind::kMisuse;
  r.title = "misuse of Lock.release(): release unlocked lock";
  r.summary = "misuse samples/release_twice.cpp:9 in worker()";
  r.message = "release unlocked lock";
  Access call;
  call.type = AccessType::kMisuseCall;
  call.thread = 1;
  call.object = "lock";
  call.call = "Lock.release()";
  call.stack = {At("worker()", "samples/release_twice.cpp", 9)};
  r.accesses = {call};
  r.threads = {Started(1, "Thread-1", {At("main", "samples/release_twice.cpp", 14)})};
  r.pid = 5;
  return r;
}

// Odd shapes: unnamed lock, unknown function and file, empty stack, a thread
// racelens did not start, a child of a non-main thread, locks held earlier.
inline Report Unusual() {
  Report r;
  r.kind = Kind::kDataRace;
  r.title = "data race on '0x7ffd1000'";
  r.summary = "data race 0x4011a6";
  r.locks = {LockRef{3, ""}, LockRef{4, "guard"}};
  Access write;
  write.type = AccessType::kWrite;
  write.thread = 5;
  write.object = "0x7ffd1000";
  write.size = 8;
  write.stack = {At("", "", 0, 0x4011a6), At("helper", "", 0, 0x4011f0),
                 At("", "lib/x.cpp", 0, 0x401200)};
  write.locks_held = {3};
  Access read;
  read.type = AccessType::kRead;
  read.thread = 6;
  read.object = "0x7ffd1000";
  read.size = 8;
  read.previous = true;
  read.locks_held = {3, 4};
  r.accesses = {write, read};
  r.threads = {ThreadRef{5, "Dummy-5", std::nullopt, {}},
               Started(6, "", {At("spawn()", "lib/x.cpp", 40)}, 5)};
  r.pid = 1;
  return r;
}

// Every sample above, for tests that check a property of every report.
inline std::vector<Report> All() {
  return {DataRace(),
          EventRace(),
          LockOrderInversion(),
          LockOrderWithTimeline(),
          StuckDeadlock(),
          CycleDeadlock(),
          Misuse(),
          Unusual()};
}

}  // namespace racelens::report::samples
