#include "detect/deadlock_detector.hpp"

#include <algorithm>

namespace racelens::detect {

void DeadlockDetector::ThreadStarted(int thread) { live_[thread] = true; }

void DeadlockDetector::ThreadFinished(int thread) {
  live_.erase(thread);
  blocked_.erase(thread);
  timed_.erase(thread);
  std::erase_if(holders_, [thread](const auto& h) { return h.second == thread; });
}

void DeadlockDetector::Blocked(int thread, const void* object, bool on_lock, bool timed,
                               std::uint32_t stack, double now) {
  live_[thread] = true;
  if (timed) {
    ++timed_[thread];
    return;
  }
  blocked_[thread] = BlockedThread{thread, object, on_lock, stack, now};
}

void DeadlockDetector::Unblocked(int thread) {
  blocked_.erase(thread);
  auto it = timed_.find(thread);
  if (it != timed_.end() && --it->second <= 0) timed_.erase(it);
}

void DeadlockDetector::LockAcquired(int thread, const void* lock) { holders_[lock] = thread; }

void DeadlockDetector::LockReleased(const void* lock) { holders_.erase(lock); }

std::optional<std::vector<int>> DeadlockDetector::WaitForCycle(double now, double timeout) const {
  for (const auto& [start, _] : blocked_) {
    // Follow "waits for a lock held by" from `start`; a cycle through `start` is a deadlock.
    std::vector<int> path{start};
    int current = start;
    for (std::size_t steps = 0; steps <= blocked_.size(); ++steps) {
      const auto b = blocked_.find(current);
      if (b == blocked_.end() || !b->second.on_lock || now - b->second.since < timeout) break;
      const auto holder = holders_.find(b->second.object);
      if (holder == holders_.end()) break;
      if (holder->second == start) return path;
      if (std::find(path.begin(), path.end(), holder->second) != path.end()) break;
      path.push_back(holder->second);
      current = holder->second;
    }
  }
  return std::nullopt;
}

std::optional<Deadlock> DeadlockDetector::Check(double now, double timeout) {
  if (reported_ || blocked_.empty()) return std::nullopt;
  Deadlock found;
  if (auto cycle = WaitForCycle(now, timeout)) {
    found.cycle = *cycle;
    for (int t : *cycle) found.threads.push_back(blocked_.at(t));
  } else {
    // Every live thread is in an untimed wait, the latest for at least `timeout`.
    if (!timed_.empty()) return std::nullopt;
    for (const auto& [thread, _] : live_) {
      const auto b = blocked_.find(thread);
      if (b == blocked_.end() || now - b->second.since < timeout) return std::nullopt;
      found.threads.push_back(b->second);
    }
  }
  std::sort(found.threads.begin(), found.threads.end(),
            [](const BlockedThread& a, const BlockedThread& b) { return a.thread < b.thread; });
  reported_ = true;
  return found;
}

}  // namespace racelens::detect
