// detect/lock_order_detector.hpp — lock-order inversions (potential deadlocks).
//
// LockOrderDetector keeps, per thread, the locks it holds, and a lock-order
// graph over all threads: an edge A->B is added when the acquisition of B
// starts while A is held (before it may block), as TSan and lockdep do, so a
// run that really deadlocks on AB/BA reports the inversion too. When a new
// edge would close a cycle it is not added and the cycle comes back as data.
// Like TSan's DDetector it is a pure component: plain ids in, plain data out,
// no printing, no threads, no calls into the runtime.
//
// - Recursive re-acquisition (an RLock entered again, or any lock already held
//   by the thread) adds no edge; the lock counts as held until released as
//   many times as it was acquired.
// - A try-lock adds no edge (it cannot block) but counts as held once taken.
// - A lock may be released by a thread other than its holder (Python's Lock
//   has no owner): the release applies to whichever thread holds it.
// - Each distinct cycle (the same set of edges) is reported once; an edge
//   already in the graph never reports again.
// - Re-acquiring a non-recursive lock held by the same thread (a self-deadlock)
//   is not reported here; that is the deadlock detector's finding.
//
// Ids: threads are the runtime's thread ids, locks any unique std::uint64_t,
// stacks the runtime's stack depot ids (0 = none); all opaque here.
//
// Thread-safety: none. Calls must be serialised externally.
//
// Errors: none. Unbalanced events (releasing a lock nobody holds, finishing an
// unknown thread) are ignored: the runtime reports those misuses itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "detect/graph_cycles.hpp"

namespace racelens::detect {

// A cycle in the lock-order graph: locks[0] => locks[1] => ... => locks[0].
struct LockOrderCycle {
  struct Edge {
    std::uint64_t from = 0;
    std::uint64_t to = 0;
    int thread = 0;                // took `to` while holding `from`
    std::uint32_t from_stack = 0;  // where `from` was taken
    std::uint32_t to_stack = 0;    // where taking `to` started while `from` was held

    friend bool operator==(const Edge&, const Edge&) = default;
  };
  std::vector<std::uint64_t> locks;
  // edges[i] goes from locks[i] to locks[(i + 1) % locks.size()]. The last edge
  // is the one whose acquisition closed the cycle (the calling thread's).
  std::vector<Edge> edges;

  friend bool operator==(const LockOrderCycle&, const LockOrderCycle&) = default;
};

// A lock a thread holds, with where it was taken (its outermost acquisition).
struct HeldLock {
  std::uint64_t lock = 0;
  std::uint32_t stack = 0;

  friend bool operator==(const HeldLock&, const HeldLock&) = default;
};

class LockOrderDetector {
 public:
  using LockId = std::uint64_t;
  using StackId = std::uint32_t;

  // `thread` starts acquiring `lock` at `stack`. Adds an edge from each lock
  // the thread holds (none for a try-lock or a re-acquisition) and returns the
  // new cycles those edges would close: usually none, and more than one only
  // when several held locks each close a different cycle.
  std::vector<LockOrderCycle> BeforeLock(int thread, LockId lock, StackId stack, bool try_lock);

  // The acquisition finished; `acquired` is false for a failed try-lock or a
  // timed-out acquire, which change nothing.
  void AfterLock(int thread, LockId lock, StackId stack, bool acquired);

  // `lock` is being released by `thread`, or, when `thread` does not hold it,
  // by whichever thread does (an ownerless Lock).
  void BeforeUnlock(int thread, LockId lock);

  // Forgets the lock: its edges, the cycles reported through it, and any
  // thread's hold on it, so that its id may be reused.
  void LockDestroyed(LockId lock);

  // Forgets the thread and returns the locks it still held, in acquisition
  // order (a misuse when not empty: "thread exited while holding a lock").
  std::vector<HeldLock> ThreadFinished(int thread);

  // The locks `thread` holds, in acquisition order.
  std::vector<HeldLock> HeldLocks(int thread) const;

  // Every (thread, lock) hold, for a deadlock check's wait-for graph.
  std::vector<std::pair<int, LockId>> AllHeld() const;

  // Whether `thread` holds `lock` (without copying the held set).
  bool Holds(int thread, LockId lock) const;

  // Whether BeforeLock(thread, lock, _, try_lock) would meet a lock order not
  // seen before, and so might keep its stack. When false, BeforeLock ignores
  // its stack argument: callers capture the stack only when this is true.
  bool NeedsStack(int thread, LockId lock, bool try_lock) const;

 private:
  struct Held {
    LockId lock;
    StackId stack;
    int depth;  // recursion: acquisitions not yet released
  };
  // What the first insertion of an edge saw; kept for the edges of later cycles.
  struct EdgeInfo {
    int thread;
    StackId from_stack;
    StackId to_stack;
  };
  using EdgeKey = std::pair<LockId, LockId>;
  struct EdgeKeyHash {
    std::size_t operator()(const EdgeKey& key) const noexcept;
  };

  // Adds from -> to; returns the cycle it closes, if any, in `cycles`.
  void AddEdge(int thread, const Held& from, LockId to, StackId to_stack,
               std::vector<LockOrderCycle>& cycles);
  // Drops one level of `lock` from `held`; false when it is not there.
  static bool Release(std::vector<Held>& held, LockId lock);

  GraphCycles graph_;
  std::unordered_map<int, std::vector<Held>> threads_;
  std::unordered_map<EdgeKey, EdgeInfo, EdgeKeyHash> edges_;
  // Edges refused for closing a cycle, so that repeating the same inverted
  // order does not search the graph again. Cleared when the graph loses a node,
  // since the cycle may be gone.
  std::unordered_set<EdgeKey, EdgeKeyHash> refused_;
  // Every reported cycle as its sorted edge list.
  std::set<std::vector<EdgeKey>> reported_;
};

}  // namespace racelens::detect
