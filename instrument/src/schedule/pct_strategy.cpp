#include "schedule/pct_strategy.hpp"

#include <algorithm>
#include <limits>

namespace racelens::schedule {
namespace {

// Thread priorities are drawn in (depth, depth + kPriorityRange].
constexpr std::uint64_t kPriorityRange = std::uint64_t{1} << 40;

}  // namespace

PctStrategy::PctStrategy(std::uint64_t seed, int depth, std::uint64_t steps)
    : rng_(seed), depth_(depth), steps_(steps) {
  for (int i = 1; i < depth; ++i) change_points_.push_back(1 + rng_.Below(steps));
  AddThread(0);
}

void PctStrategy::AddThread(int id) {
  for (;;) {
    const auto priority = static_cast<std::int64_t>(depth_ + 1 + rng_.Below(kPriorityRange));
    bool taken = false;
    for (const auto& [other, p] : priority_) taken = taken || p == priority;
    if (!taken) {
      priority_[id] = priority;
      return;
    }
  }
}

void PctStrategy::Lower(int id) { priority_[id] = --lowest_; }

std::int64_t PctStrategy::PriorityOf(int id) const {
  const auto it = priority_.find(id);
  return it == priority_.end() ? std::numeric_limits<std::int64_t>::min() : it->second;
}

std::size_t PctStrategy::Pick(std::span<const int> candidates, std::uint64_t step) {
  for (std::size_t i = 0; i < change_points_.size(); ++i) {
    if (change_points_[i] == step + 1) priority_[running_] = depth_ - static_cast<int>(i + 1);
  }
  if (step >= steps_) {
    // Past the change points: uniform, so that a busy-waiting thread with the highest priority
    // cannot keep the token forever (PCT's guarantee is about the first `steps` steps).
    for (const int id : candidates) deferred_.erase(id);
    const std::size_t chosen = rng_.Below(candidates.size());
    running_ = candidates[chosen];
    return chosen;
  }
  // The highest priority among the candidates not deferred (all of them when every one is).
  const bool all_deferred = std::all_of(candidates.begin(), candidates.end(),
                                        [&](int id) { return deferred_.contains(id); });
  const auto eligible = [&](std::size_t i) {
    return all_deferred || !deferred_.contains(candidates[i]);
  };
  std::size_t best = candidates.size();
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (!eligible(i)) continue;
    if (best == candidates.size() || PriorityOf(candidates[i]) > PriorityOf(candidates[best])) {
      best = i;
    }
  }
  for (const int id : candidates) deferred_.erase(id);  // each deferral skips one pick
  running_ = candidates[best];
  return best;
}

}  // namespace racelens::schedule
