// detect/deadlock_detector.hpp — threads that are really stuck.
//
// Two findings, both only after the threads involved have been blocked for
// at least `deadlock_timeout` seconds without a timeout of their own:
//   - a cycle in the wait-for graph: T1 waits for a lock T2 holds while T2
//     waits for a lock T1 holds (any length);
//   - every live thread blocked with no timeout pending (a Queue.join()
//     with a missing task_done(), a lost notify, a join on a thread that
//     waits forever).
// Time is passed in by the caller (seconds on any monotonic clock), so the
// component is pure and testable without threads or waiting.
//
// Thread-safety: none; the runtime serialises calls.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace racelens::detect {

struct BlockedThread {
  int thread = 0;
  const void* object = nullptr;  // what it waits on
  bool on_lock = false;          // a lock acquisition (an edge of the wait-for graph)
  std::uint32_t stack = 0;
  double since = 0;  // when it blocked
};

struct Deadlock {
  std::vector<BlockedThread> threads;  // every stuck thread, by thread id
  std::vector<int> cycle;              // wait-for cycle (thread ids), empty for "all blocked"
};

class DeadlockDetector {
 public:
  void ThreadStarted(int thread);
  void ThreadFinished(int thread);
  // `timed`: the wait has a timeout of its own, so it will end by itself.
  void Blocked(int thread, const void* object, bool on_lock, bool timed, std::uint32_t stack,
               double now);
  void Unblocked(int thread);
  void LockAcquired(int thread, const void* lock);
  void LockReleased(const void* lock);

  // A deadlock that has lasted `timeout` seconds at time `now`, if any. Each
  // deadlock is returned once.
  std::optional<Deadlock> Check(double now, double timeout);
  // Lets Check() return a deadlock again (the caller could not act on the last one).
  void Rearm() { reported_ = false; }
  // Whether `thread` started and has not finished.
  bool IsLive(int thread) const { return live_.contains(thread); }

 private:
  std::optional<std::vector<int>> WaitForCycle(double now, double timeout) const;

  std::unordered_map<int, bool> live_;              // thread -> alive (value unused)
  std::unordered_map<int, BlockedThread> blocked_;  // untimed waits only
  std::unordered_map<int, int> timed_;              // threads in a timed wait
  std::unordered_map<const void*, int> holders_;    // lock -> thread
  bool reported_ = false;
};

}  // namespace racelens::detect
