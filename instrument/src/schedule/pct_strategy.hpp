// schedule/pct_strategy.hpp — schedule=pct: Probabilistic Concurrency Testing.
//
// PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010) finds a bug
// of depth d among n threads and k steps with probability at least
// 1/(n k^(d-1)) per run:
// - every thread gets a distinct random priority above `depth` when it is
//   created (drawn from the seed);
// - `depth - 1` change points are drawn uniformly in [1, steps]; when the
//   scheduler reaches the step of change point i (1-based), the running
//   thread (the last one picked) drops to priority `depth - i`;
// - every pick takes the candidate with the highest priority; after `steps`
//   picks, when no change point is left, every pick is uniform among the
//   candidates instead (as Coyote's fair PCT), so that a busy-waiting thread
//   with the highest priority (a loop of `event.wait(t)` that returns at once)
//   cannot keep the token forever;
// - Lower (Yield) drops a thread below every other priority, so that a thread
//   waiting for another cannot keep the token;
// - Defer (a timed wait fired early) leaves the thread out of its next pick
//   (unless it is the only candidate) and keeps its priority: a `wait(TIMEOUT)`
//   loop lets the others make a step per round, and a thread whose sleep fired
//   early still runs first afterwards (the condition sample's lost wake-up
//   needs exactly that: the main thread starting the producer before a
//   consumer reaches its wait).
//
// Thread-safety: none; the scheduler calls it under its own lock.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "schedule/strategy.hpp"

namespace racelens::schedule {

class PctStrategy final : public Strategy {
 public:
  // `depth` >= 1, `steps` >= 1. Thread 0 (the main thread) exists from the start.
  PctStrategy(std::uint64_t seed, int depth, std::uint64_t steps);
  std::size_t Pick(std::span<const int> candidates, std::uint64_t step) override;
  void AddThread(int id) override;
  void Lower(int id) override;
  void Defer(int id) override { deferred_.insert(id); }

 private:
  std::int64_t PriorityOf(int id) const;

  Xoshiro256 rng_;
  const int depth_;
  const std::uint64_t steps_;
  std::vector<std::uint64_t> change_points_;  // change point i+1 is at step change_points_[i]
  std::map<int, std::int64_t> priority_;      // by thread id
  std::int64_t lowest_ = 0;                   // Lower gives lowest_ - 1, below every change point
  int running_ = 0;                           // the thread picked last
  std::set<int> deferred_;                    // left out of their next pick
};

}  // namespace racelens::schedule
