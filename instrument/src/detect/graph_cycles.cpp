#include "detect/graph_cycles.hpp"

#include <algorithm>
#include <utility>

namespace racelens::detect {

GraphCycles::Node& GraphCycles::Ensure(NodeId id, Place place) {
  auto [it, inserted] = nodes_.try_emplace(id);
  // A new node has no edges, so it may go anywhere in the order: at the end
  // that makes its first edge agree with the order and need no search.
  if (inserted) it->second.rank = place == Place::kFirst ? --first_rank_ : ++last_rank_;
  return it->second;
}

bool GraphCycles::InsertEdge(NodeId from, NodeId to) {
  if (from == to) return false;
  if (const auto it = nodes_.find(from); it != nodes_.end() && it->second.out.contains(to)) {
    return true;
  }
  Node& f = Ensure(from, Place::kFirst);
  Node& t = Ensure(to, Place::kLast);
  if (f.rank > t.rank) {
    // The edge goes against the order: either `to` reaches `from` (a cycle) or
    // the nodes ranked between the two can be reordered to make room.
    const bool acyclic = SearchForward(to, f.rank);
    if (acyclic) {
      SearchBackward(from, t.rank);
      Reorder();
    }
    visited_.clear();
    if (!acyclic) return false;
  }
  f.out.insert(to);
  t.in.insert(from);
  return true;
}

bool GraphCycles::SearchForward(NodeId start, std::int64_t upper) {
  stack_.assign(1, start);
  forward_.clear();
  visited_.insert(start);
  while (!stack_.empty()) {
    const NodeId id = stack_.back();
    stack_.pop_back();
    forward_.push_back(id);
    for (const NodeId next : nodes_.at(id).out) {
      const std::int64_t rank = nodes_.at(next).rank;
      if (rank == upper) return false;  // ranks are unique: `next` is the edge's source
      // Nodes ranked above `upper` cannot lead back below it: not affected.
      if (rank < upper && visited_.insert(next).second) stack_.push_back(next);
    }
  }
  return true;
}

void GraphCycles::SearchBackward(NodeId start, std::int64_t lower) {
  stack_.assign(1, start);
  backward_.clear();
  visited_.insert(start);
  while (!stack_.empty()) {
    const NodeId id = stack_.back();
    stack_.pop_back();
    backward_.push_back(id);
    for (const NodeId prev : nodes_.at(id).in) {
      if (nodes_.at(prev).rank > lower && visited_.insert(prev).second) stack_.push_back(prev);
    }
  }
}

void GraphCycles::Reorder() {
  const auto by_rank = [this](NodeId a, NodeId b) { return nodes_.at(a).rank < nodes_.at(b).rank; };
  std::sort(backward_.begin(), backward_.end(), by_rank);
  std::sort(forward_.begin(), forward_.end(), by_rank);
  // The affected nodes keep the set of ranks they hold; those reaching the new
  // edge's source take the lower ones, each group keeping its relative order.
  ranks_.clear();
  for (const NodeId id : backward_) ranks_.push_back(nodes_.at(id).rank);
  for (const NodeId id : forward_) ranks_.push_back(nodes_.at(id).rank);
  std::sort(ranks_.begin(), ranks_.end());
  std::size_t i = 0;
  for (const NodeId id : backward_) nodes_.at(id).rank = ranks_[i++];
  for (const NodeId id : forward_) nodes_.at(id).rank = ranks_[i++];
}

void GraphCycles::RemoveNode(NodeId node) {
  const auto it = nodes_.find(node);
  if (it == nodes_.end()) return;
  for (const NodeId next : it->second.out) nodes_.at(next).in.erase(node);
  for (const NodeId prev : it->second.in) nodes_.at(prev).out.erase(node);
  // The order stays topological without the node; its rank is simply unused.
  nodes_.erase(it);
}

bool GraphCycles::HasNode(NodeId node) const { return nodes_.contains(node); }

bool GraphCycles::HasEdge(NodeId from, NodeId to) const {
  const auto it = nodes_.find(from);
  return it != nodes_.end() && it->second.out.contains(to);
}

bool GraphCycles::IsReachable(NodeId from, NodeId to) const {
  const auto source = nodes_.find(from);
  const auto target = nodes_.find(to);
  if (source == nodes_.end() || target == nodes_.end()) return false;
  if (from == to) return true;
  // Every node on a path to `to` is ranked at most as high as `to`.
  const std::int64_t limit = target->second.rank;
  if (source->second.rank > limit) return false;
  std::unordered_set<NodeId> visited{from};
  std::vector<NodeId> stack{from};
  while (!stack.empty()) {
    const NodeId id = stack.back();
    stack.pop_back();
    for (const NodeId next : nodes_.at(id).out) {
      if (next == to) return true;
      if (nodes_.at(next).rank < limit && visited.insert(next).second) stack.push_back(next);
    }
  }
  return false;
}

std::vector<GraphCycles::NodeId> GraphCycles::FindPath(NodeId from, NodeId to,
                                                       std::size_t max_len) const {
  const auto source = nodes_.find(from);
  const auto target = nodes_.find(to);
  if (source == nodes_.end() || target == nodes_.end() || max_len == 0) return {};
  if (from == to) return {from};
  const std::int64_t limit = target->second.rank;
  if (source->second.rank > limit) return {};
  // Breadth-first, so the path is a shortest one: the most readable cycle.
  std::unordered_map<NodeId, NodeId> parent{{from, from}};
  std::vector<NodeId> frontier{from};
  std::vector<NodeId> next_frontier;
  for (std::size_t len = 2; len <= max_len && !frontier.empty(); ++len) {
    next_frontier.clear();
    for (const NodeId id : frontier) {
      for (const NodeId next : nodes_.at(id).out) {
        if (nodes_.at(next).rank > limit || !parent.try_emplace(next, id).second) continue;
        if (next == to) {
          std::vector<NodeId> path{to};
          for (NodeId at = id; at != from; at = parent.at(at)) path.push_back(at);
          path.push_back(from);
          std::reverse(path.begin(), path.end());
          return path;
        }
        next_frontier.push_back(next);
      }
    }
    std::swap(frontier, next_frontier);
  }
  return {};
}

bool GraphCycles::CheckInvariants() const {
  std::unordered_set<std::int64_t> ranks;
  for (const auto& [id, node] : nodes_) {
    if (!ranks.insert(node.rank).second) return false;
    for (const NodeId next : node.out) {
      const auto it = nodes_.find(next);
      if (it == nodes_.end() || !it->second.in.contains(id)) return false;
      if (node.rank >= it->second.rank) return false;
    }
    for (const NodeId prev : node.in) {
      const auto it = nodes_.find(prev);
      if (it == nodes_.end() || !it->second.out.contains(id)) return false;
    }
  }
  return true;
}

}  // namespace racelens::detect
