// report/report.hpp — the report model: plain data, shared by every writer.
//
// Detectors return their findings as data; the runtime turns each into a
// Report (names, stacks, threads) and hands it to the writers (text, json,
// sarif, html), which only format — no logic — as in ThreadSanitizer's ReportDesc.
//
// Conventions: threads are "T<id>" plus their name (T0 is the main thread),
// locks "M<id>" plus their name; a Stack's frame 0 is the innermost call in
// user code (frames inside racelens are already trimmed).
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace racelens::report {

struct Frame {
  std::string function;  // demangled; empty when unknown
  std::string file;      // as recorded in the debug info; empty when unknown
  int line = 0;          // 0 when unknown
  std::uintptr_t pc = 0;
};
using Stack = std::vector<Frame>;

// Every kind of report; writers switch over it without a default.
enum class Kind { kDataRace, kEventRace, kLockOrderInversion, kDeadlock, kMisuse };

// The stable id of a kind: "data-race", "event-race", "lock-order-inversion", "deadlock", "misuse".
std::string_view KindId(Kind kind);

struct ThreadRef {
  int id = 0;
  std::string name;
  std::optional<int> parent;  // the creating thread, when racelens started it
  Stack created_at;           // where it was started (empty for the main thread)
};

struct LockRef {
  int id = 0;
  std::string name;  // empty when unnamed
};

enum class AccessType {
  kRead,          // a tracked memory read
  kWrite,         // a tracked memory write
  kEventSet,      // Event.set()
  kEventClear,    // Event.clear()
  kLockAcquire,   // a lock acquisition (lock-order inversions)
  kBlockingCall,  // where a thread is stuck (deadlocks)
  kMisuseCall,    // the call that misused an API
};

struct Access {
  AccessType type = AccessType::kRead;
  int thread = 0;
  std::string object;    // the variable, event or lock name as reports show it: 'value'
  std::size_t size = 0;  // bytes, for memory accesses
  std::string call;      // blocking or misusing call, e.g. "Queue.join()"
  Stack stack;
  std::vector<int> locks_held;  // lock ids held by the thread at this access
  bool previous = false;        // the earlier access of a pair
};

// lock-order-inversion: `thread` took `to_lock` while holding `from_lock`.
struct LockOrderEdge {
  int from_lock = 0;
  int to_lock = 0;
  int thread = 0;
  Stack from_acquired;  // where the held lock was taken
  Stack to_acquired;    // where the second lock was taken while holding the first
};

struct Schedule {
  std::string strategy = "os";  // os | random | pct
  std::optional<std::uint64_t> seed;
  std::string replay_command;  // empty when the run cannot be replayed
  // pct only. (Initialised, so that Schedule{strategy, seed, command} stays warning-free.)
  std::optional<int> depth = std::nullopt;            // pct_depth: change points + 1
  std::optional<std::uint64_t> steps = std::nullopt;  // pct_steps: change points fall in 1..steps
};

// One step of a thread's history before the report (docs/report-format.md § JSON, timeline).
struct TimelineEvent {
  std::uint64_t step = 0;  // orders the events of all threads; not a time
  int thread = 0;
  std::string op;      // what the thread did: "Lock.acquire()", "Event.set()", "sleep()"
  std::string object;  // the lock, event or variable as reports name it; may be empty
  Frame site;          // where, frame 0 of the call's stack
};

struct Report {
  Kind kind = Kind::kDataRace;
  std::string title;    // "data race on 'value'"
  std::string summary;  // "data race samples/nolock_counter.cpp:18 in getlock()"
  std::string message;  // misuse: the error's message; deadlock: what is stuck
  std::vector<Access> accesses;
  std::vector<ThreadRef> threads;
  std::vector<LockRef> locks;
  std::vector<int> cycle;  // lock ids (lock-order-inversion) or thread ids (deadlock)
  std::vector<LockOrderEdge> edges;
  Schedule schedule;
  int pid = 0;
  // The involved threads' recent events, by step; empty when the runtime recorded none.
  std::vector<TimelineEvent> timeline;
};

}  // namespace racelens::report
