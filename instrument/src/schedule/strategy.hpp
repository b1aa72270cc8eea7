// schedule/strategy.hpp — who runs next under the controlled scheduler.
//
// At each scheduling point the scheduler lists the threads that may run (by
// runtime id, ascending) and asks the strategy to pick one. A strategy is
// deterministic: the same seed and the same sequence of calls give the same
// picks. Its numbers come from its own generator (SplitMix64 seeding
// xoshiro256**), never from std distributions, whose output differs between
// standard libraries.
//
// Besides picking, a strategy hears of new threads (AddThread, in creation
// order, thread 0 being the main thread it starts with) and of threads that
// let the others go first: Lower (Yield: the thread waits for another one to
// move) and Defer (a timed wait fired before its deadline was reached: the
// thread goes after the others once, so a loop of timed waits cannot starve
// them, but keeps its place otherwise).
//
// Thread-safety: none; the scheduler calls it under its own lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <span>
#include <vector>

namespace racelens::schedule {

class Strategy {
 public:
  virtual ~Strategy() = default;
  // The index into `candidates` (never empty) of the thread to run at `step`
  // (the number of earlier picks).
  virtual std::size_t Pick(std::span<const int> candidates, std::uint64_t step) = 0;
  // Thread `id` was created (its creator holds the token).
  virtual void AddThread(int /*id*/) {}
  // Thread `id` lets the other candidates go first.
  virtual void Lower(int id) = 0;
  // Thread `id` is left out of the next pick it is a candidate in, unless it is
  // the only candidate.
  virtual void Defer(int id) = 0;
};

// xoshiro256** seeded through SplitMix64 (Blackman and Vigna).
class Xoshiro256 {
 public:
  explicit Xoshiro256(std::uint64_t seed) noexcept;
  std::uint64_t Next() noexcept;
  // Uniform in [0, n) for n > 0 (Lemire's multiply-and-reject, unbiased).
  std::uint64_t Below(std::uint64_t n) noexcept;

 private:
  std::uint64_t s_[4];
};

// schedule=random: a uniform pick among the candidates at every point. A
// lowered thread is left out of the next pick it is a candidate in, unless it
// is the only candidate.
class RandomStrategy final : public Strategy {
 public:
  explicit RandomStrategy(std::uint64_t seed) noexcept : rng_(seed) {}
  std::size_t Pick(std::span<const int> candidates, std::uint64_t step) override;
  void Lower(int id) override { lowered_.insert(id); }
  void Defer(int id) override { lowered_.insert(id); }

 private:
  Xoshiro256 rng_;
  std::set<int> lowered_;
};

}  // namespace racelens::schedule
