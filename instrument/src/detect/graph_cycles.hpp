// detect/graph_cycles.hpp — a directed graph that refuses edges closing a cycle.
//
// GraphCycles keeps a directed acyclic graph built up one edge at a time and
// says, at each insertion, whether the new edge would close a cycle. It knows
// nothing about locks: the lock-order detector (lock_order_detector.hpp) uses
// it with lock ids as nodes. Modelled on Abseil's
// absl/synchronization/internal/graphcycles.h.
//
// Nodes are std::uint64_t ids chosen by the caller; a node exists from the
// first edge that mentions it until RemoveNode. At most one edge per
// (from, to) pair.
//
// Algorithm: the graph maintains a topological order of its nodes (Pearce and
// Kelly, "A dynamic topological sort algorithm for directed acyclic graphs",
// 2006). An edge that agrees with the order costs O(1); one that does not
// searches only the nodes ranked between its ends and reorders them. Works
// well on sparse graphs such as lock-order graphs.
//
// Thread-safety: none. Calls must be serialised externally.
//
// Errors: none; misuse (an unknown id, a self-edge) is answered, not rejected.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace racelens::detect {

class GraphCycles {
 public:
  using NodeId = std::uint64_t;

  GraphCycles() = default;
  GraphCycles(const GraphCycles&) = delete;
  GraphCycles& operator=(const GraphCycles&) = delete;

  // Adds the edge from -> to, creating either node when new, and returns true;
  // true as well when the edge already exists. When the edge would close a
  // cycle (including from == to), returns false and changes nothing.
  bool InsertEdge(NodeId from, NodeId to);

  // Removes the node and every edge into or out of it; no-op for an unknown id.
  void RemoveNode(NodeId node);

  bool HasNode(NodeId node) const;
  bool HasEdge(NodeId from, NodeId to) const;

  // Whether `to` can be reached from `from` by following edges (a node reaches
  // itself). False when either node is unknown.
  bool IsReachable(NodeId from, NodeId to) const;

  // A shortest path from `from` to `to`: its nodes, both ends included ({from}
  // when from == to). Empty when either node is unknown, when there is no path,
  // or when the shortest path has more than `max_len` nodes. Linear in the
  // number of nodes and edges ranked between the two ends.
  std::vector<NodeId> FindPath(NodeId from, NodeId to, std::size_t max_len) const;

  std::size_t NodeCount() const { return nodes_.size(); }

  // Checks the internal invariants (edge symmetry, topological order); for
  // tests. Expensive.
  bool CheckInvariants() const;

 private:
  struct Node {
    // Position in the topological order: every edge goes from a lower rank to a
    // higher one. Ranks are unique but need not be contiguous.
    std::int64_t rank = 0;
    std::unordered_set<NodeId> out;
    std::unordered_set<NodeId> in;
  };

  enum class Place { kFirst, kLast };
  // The node `id`, created at the given end of the order when new.
  Node& Ensure(NodeId id, Place place);
  // Collects into forward_ the nodes reachable from `start` ranked below
  // `upper`; false when the node ranked `upper` itself is reachable.
  bool SearchForward(NodeId start, std::int64_t upper);
  // Collects into backward_ the nodes that reach `start` ranked above `lower`.
  void SearchBackward(NodeId start, std::int64_t lower);
  // Gives the nodes of backward_ then forward_ the ranks they held, in order.
  void Reorder();

  std::unordered_map<NodeId, Node> nodes_;
  std::int64_t first_rank_ = 0;  // the lowest rank handed out so far
  std::int64_t last_rank_ = 0;   // the highest

  // Scratch space of InsertEdge, kept to avoid allocating on every insertion.
  std::unordered_set<NodeId> visited_;
  std::vector<NodeId> stack_;
  std::vector<NodeId> forward_;
  std::vector<NodeId> backward_;
  std::vector<std::int64_t> ranks_;
};

}  // namespace racelens::detect
