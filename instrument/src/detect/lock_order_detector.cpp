#include "detect/lock_order_detector.hpp"

#include <algorithm>
#include <functional>
#include <limits>

namespace racelens::detect {

std::size_t LockOrderDetector::EdgeKeyHash::operator()(const EdgeKey& key) const noexcept {
  const std::size_t a = std::hash<LockId>{}(key.first);
  const std::size_t b = std::hash<LockId>{}(key.second);
  return a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
}

std::vector<LockOrderCycle> LockOrderDetector::BeforeLock(int thread, LockId lock, StackId stack,
                                                          bool try_lock) {
  std::vector<LockOrderCycle> cycles;
  if (try_lock) return cycles;
  const auto it = threads_.find(thread);
  if (it == threads_.end()) return cycles;
  const std::vector<Held>& held = it->second;
  const auto holds = [lock](const Held& h) { return h.lock == lock; };
  if (std::any_of(held.begin(), held.end(), holds)) return cycles;
  for (const Held& h : held) AddEdge(thread, h, lock, stack, cycles);
  return cycles;
}

void LockOrderDetector::AddEdge(int thread, const Held& from, LockId to, StackId to_stack,
                                std::vector<LockOrderCycle>& cycles) {
  const EdgeKey key{from.lock, to};
  // The common case by far: an order already seen.
  if (graph_.HasEdge(from.lock, to) || refused_.contains(key)) return;
  if (graph_.InsertEdge(from.lock, to)) {
    edges_.emplace(key, EdgeInfo{thread, from.stack, to_stack});
    return;
  }
  refused_.insert(key);
  // `to` reaches `from`: the cycle is that path closed by the refused edge.
  LockOrderCycle cycle;
  cycle.locks = graph_.FindPath(to, from.lock, std::numeric_limits<std::size_t>::max());
  std::vector<EdgeKey> edge_set;
  for (std::size_t i = 0; i + 1 < cycle.locks.size(); ++i) {
    const EdgeKey edge{cycle.locks[i], cycle.locks[i + 1]};
    const EdgeInfo& info = edges_.at(edge);
    cycle.edges.push_back({edge.first, edge.second, info.thread, info.from_stack, info.to_stack});
    edge_set.push_back(edge);
  }
  cycle.edges.push_back({from.lock, to, thread, from.stack, to_stack});
  edge_set.push_back(key);
  std::sort(edge_set.begin(), edge_set.end());
  if (reported_.insert(std::move(edge_set)).second) cycles.push_back(std::move(cycle));
}

void LockOrderDetector::AfterLock(int thread, LockId lock, StackId stack, bool acquired) {
  if (!acquired) return;
  std::vector<Held>& held = threads_[thread];
  const auto it =
      std::find_if(held.begin(), held.end(), [lock](const Held& h) { return h.lock == lock; });
  if (it != held.end()) {
    ++it->depth;
  } else {
    held.push_back({lock, stack, 1});
  }
}

bool LockOrderDetector::Release(std::vector<Held>& held, LockId lock) {
  const auto it =
      std::find_if(held.begin(), held.end(), [lock](const Held& h) { return h.lock == lock; });
  if (it == held.end()) return false;
  // erase, not swap-and-pop: acquisition order is part of what callers see.
  if (--it->depth == 0) held.erase(it);
  return true;
}

void LockOrderDetector::BeforeUnlock(int thread, LockId lock) {
  if (const auto it = threads_.find(thread); it != threads_.end() && Release(it->second, lock)) {
    return;
  }
  for (auto& [other, held] : threads_) {
    if (Release(held, lock)) return;
  }
}

void LockOrderDetector::LockDestroyed(LockId lock) {
  for (auto& [thread, held] : threads_) {
    std::erase_if(held, [lock](const Held& h) { return h.lock == lock; });
  }
  if (!graph_.HasNode(lock)) return;  // then it has no edges, refusals or cycles either
  graph_.RemoveNode(lock);
  const auto touches = [lock](const EdgeKey& edge) {
    return edge.first == lock || edge.second == lock;
  };
  std::erase_if(edges_, [&](const auto& entry) { return touches(entry.first); });
  refused_.clear();
  std::erase_if(reported_, [&](const std::vector<EdgeKey>& cycle) {
    return std::any_of(cycle.begin(), cycle.end(), touches);
  });
}

std::vector<HeldLock> LockOrderDetector::ThreadFinished(int thread) {
  std::vector<HeldLock> result = HeldLocks(thread);
  threads_.erase(thread);
  return result;
}

std::vector<HeldLock> LockOrderDetector::HeldLocks(int thread) const {
  std::vector<HeldLock> result;
  if (const auto it = threads_.find(thread); it != threads_.end()) {
    for (const Held& h : it->second) result.push_back({h.lock, h.stack});
  }
  return result;
}

std::vector<std::pair<int, LockOrderDetector::LockId>> LockOrderDetector::AllHeld() const {
  std::vector<std::pair<int, LockId>> result;
  for (const auto& [thread, held] : threads_) {
    for (const Held& h : held) result.emplace_back(thread, h.lock);
  }
  return result;
}

bool LockOrderDetector::Holds(int thread, LockId lock) const {
  const auto it = threads_.find(thread);
  if (it == threads_.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(),
                     [lock](const Held& h) { return h.lock == lock; });
}

bool LockOrderDetector::NeedsStack(int thread, LockId lock, bool try_lock) const {
  if (try_lock) return false;
  const auto it = threads_.find(thread);
  if (it == threads_.end() || it->second.empty()) return false;
  const std::vector<Held>& held = it->second;
  const auto holds = [lock](const Held& h) { return h.lock == lock; };
  if (std::any_of(held.begin(), held.end(), holds)) return false;
  return std::any_of(held.begin(), held.end(), [&](const Held& h) {
    return !graph_.HasEdge(h.lock, lock) && !refused_.contains(EdgeKey{h.lock, lock});
  });
}

}  // namespace racelens::detect
