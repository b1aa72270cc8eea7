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
// - every pick takes the candidate with the highest priority;
// - Lower (Yield, a timed wait fired early) drops a thread below every other
//   priority, so that a thread waiting for another cannot keep the token.
//
// Thread-safety: none; the scheduler calls it under its own lock.
#pragma once

#include <cstdint>
#include <map>
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

 private:
  std::int64_t PriorityOf(int id) const;

  Xoshiro256 rng_;
  const int depth_;
  std::vector<std::uint64_t> change_points_;  // change point i+1 is at step change_points_[i]
  std::map<int, std::int64_t> priority_;      // by thread id
  std::int64_t lowest_ = 0;                   // Lower gives lowest_ - 1, below every change point
  int running_ = 0;                           // the thread picked last
};

}  // namespace racelens::schedule
