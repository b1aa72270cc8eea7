// GraphCycles in the spirit of Abseil's graphcycles_test.cc: hand-made graphs
// for each operation, then random sequences of insertions and removals checked
// against a brute-force model of the same graph.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "detect/graph_cycles.hpp"

namespace racelens::detect {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();

TEST(GraphCyclesTest, InsertEdgeCreatesNodesAndEdge) {
  GraphCycles graph;
  EXPECT_FALSE(graph.HasNode(1));
  EXPECT_TRUE(graph.InsertEdge(1, 2));
  EXPECT_TRUE(graph.HasNode(1));
  EXPECT_TRUE(graph.HasNode(2));
  EXPECT_TRUE(graph.HasEdge(1, 2));
  EXPECT_FALSE(graph.HasEdge(2, 1));
  EXPECT_EQ(graph.NodeCount(), 2u);
  EXPECT_TRUE(graph.CheckInvariants());
}

TEST(GraphCyclesTest, InsertingAnExistingEdgeSucceeds) {
  GraphCycles graph;
  EXPECT_TRUE(graph.InsertEdge(1, 2));
  EXPECT_TRUE(graph.InsertEdge(1, 2));
  EXPECT_TRUE(graph.HasEdge(1, 2));
}

TEST(GraphCyclesTest, SelfEdgeIsACycleAndCreatesNothing) {
  GraphCycles graph;
  EXPECT_FALSE(graph.InsertEdge(7, 7));
  EXPECT_FALSE(graph.HasNode(7));
  EXPECT_EQ(graph.NodeCount(), 0u);
}

TEST(GraphCyclesTest, EdgeClosingACycleIsRefusedAndChangesNothing) {
  GraphCycles graph;
  ASSERT_TRUE(graph.InsertEdge(1, 2));
  ASSERT_TRUE(graph.InsertEdge(2, 3));
  ASSERT_TRUE(graph.InsertEdge(3, 4));
  EXPECT_FALSE(graph.InsertEdge(2, 1));
  EXPECT_FALSE(graph.InsertEdge(4, 1));
  EXPECT_FALSE(graph.InsertEdge(3, 2));
  EXPECT_FALSE(graph.HasEdge(2, 1));
  EXPECT_FALSE(graph.HasEdge(4, 1));
  EXPECT_EQ(graph.NodeCount(), 4u);
  EXPECT_TRUE(graph.CheckInvariants());
  // Not a cycle: a shortcut along the existing direction.
  EXPECT_TRUE(graph.InsertEdge(1, 4));
}

// Nodes 1..n, each created by an edge into `sink` and so placed first in the
// order in turn: node n ends up ranked before node n-1, against a chain 1 -> n.
void AddNodesInReverseOrder(GraphCycles& graph, std::uint64_t n, std::uint64_t sink) {
  for (std::uint64_t id = 1; id <= n; ++id) ASSERT_TRUE(graph.InsertEdge(id, sink));
}

TEST(GraphCyclesTest, EdgesAgainstTheOrderAreReordered) {
  GraphCycles graph;
  AddNodesInReverseOrder(graph, 10, 1000);
  for (std::uint64_t n = 1; n < 10; ++n) {
    ASSERT_TRUE(graph.InsertEdge(n, n + 1));
    ASSERT_TRUE(graph.CheckInvariants()) << n;
  }
  EXPECT_TRUE(graph.IsReachable(1, 10));
  EXPECT_FALSE(graph.InsertEdge(10, 1));
  EXPECT_FALSE(graph.InsertEdge(6, 5));
  EXPECT_FALSE(graph.InsertEdge(1000, 3));
  EXPECT_TRUE(graph.InsertEdge(3, 8));
  EXPECT_TRUE(graph.CheckInvariants());
}

TEST(GraphCyclesTest, IsReachable) {
  GraphCycles graph;
  ASSERT_TRUE(graph.InsertEdge(1, 2));
  ASSERT_TRUE(graph.InsertEdge(2, 3));
  ASSERT_TRUE(graph.InsertEdge(4, 3));
  EXPECT_TRUE(graph.IsReachable(1, 3));
  EXPECT_TRUE(graph.IsReachable(1, 1));
  EXPECT_FALSE(graph.IsReachable(3, 1));
  EXPECT_FALSE(graph.IsReachable(1, 4));
  EXPECT_FALSE(graph.IsReachable(1, 99));
  EXPECT_FALSE(graph.IsReachable(99, 99));
}

TEST(GraphCyclesTest, FindPathReturnsAShortestPath) {
  GraphCycles graph;
  // 1 -> 2 -> 3 -> 4 -> 5 and the shortcut 2 -> 5.
  for (std::uint64_t n = 1; n < 5; ++n) ASSERT_TRUE(graph.InsertEdge(n, n + 1));
  ASSERT_TRUE(graph.InsertEdge(2, 5));
  EXPECT_THAT(graph.FindPath(1, 5, kNoLimit), ElementsAre(1, 2, 5));
  EXPECT_THAT(graph.FindPath(1, 4, kNoLimit), ElementsAre(1, 2, 3, 4));
  EXPECT_THAT(graph.FindPath(3, 3, kNoLimit), ElementsAre(3));
}

TEST(GraphCyclesTest, FindPathIsEmptyWithoutAPath) {
  GraphCycles graph;
  ASSERT_TRUE(graph.InsertEdge(1, 2));
  ASSERT_TRUE(graph.InsertEdge(3, 2));
  EXPECT_THAT(graph.FindPath(2, 1, kNoLimit), IsEmpty());
  EXPECT_THAT(graph.FindPath(1, 3, kNoLimit), IsEmpty());
  EXPECT_THAT(graph.FindPath(1, 99, kNoLimit), IsEmpty());
  EXPECT_THAT(graph.FindPath(99, 99, kNoLimit), IsEmpty());
}

TEST(GraphCyclesTest, FindPathRespectsMaxLen) {
  GraphCycles graph;
  for (std::uint64_t n = 1; n < 5; ++n) ASSERT_TRUE(graph.InsertEdge(n, n + 1));
  EXPECT_THAT(graph.FindPath(1, 5, 5), ElementsAre(1, 2, 3, 4, 5));
  EXPECT_THAT(graph.FindPath(1, 5, 4), IsEmpty());
  EXPECT_THAT(graph.FindPath(1, 1, 1), ElementsAre(1));
  EXPECT_THAT(graph.FindPath(1, 1, 0), IsEmpty());
}

TEST(GraphCyclesTest, RemoveNodeDropsItsEdgesAndUnblocksEdges) {
  GraphCycles graph;
  ASSERT_TRUE(graph.InsertEdge(1, 2));
  ASSERT_TRUE(graph.InsertEdge(2, 3));
  ASSERT_FALSE(graph.InsertEdge(3, 1));
  graph.RemoveNode(2);
  EXPECT_FALSE(graph.HasNode(2));
  EXPECT_FALSE(graph.HasEdge(1, 2));
  EXPECT_FALSE(graph.IsReachable(1, 3));
  EXPECT_TRUE(graph.CheckInvariants());
  EXPECT_TRUE(graph.InsertEdge(3, 1));
  // The id can come back as a fresh node.
  EXPECT_TRUE(graph.InsertEdge(1, 2));
  EXPECT_FALSE(graph.InsertEdge(2, 3));  // 3 -> 1 -> 2
  EXPECT_TRUE(graph.CheckInvariants());
}

TEST(GraphCyclesTest, RemovingAnUnknownNodeIsANoOp) {
  GraphCycles graph;
  ASSERT_TRUE(graph.InsertEdge(1, 2));
  graph.RemoveNode(99);
  EXPECT_EQ(graph.NodeCount(), 2u);
  EXPECT_TRUE(graph.HasEdge(1, 2));
}

// The same graph kept the obvious way: a set of edges, reachability by search.
class ModelGraph {
 public:
  void Insert(std::uint64_t from, std::uint64_t to) {
    nodes_.insert(from);
    nodes_.insert(to);
    edges_.emplace(from, to);
  }
  void Remove(std::uint64_t node) {
    nodes_.erase(node);
    std::erase_if(edges_, [node](const auto& e) { return e.first == node || e.second == node; });
  }
  bool HasNode(std::uint64_t node) const { return nodes_.contains(node); }
  bool HasEdge(std::uint64_t from, std::uint64_t to) const { return edges_.contains({from, to}); }
  // Edges on a shortest path from `from` to `to`, or -1 when there is none.
  int Distance(std::uint64_t from, std::uint64_t to) const {
    if (!HasNode(from) || !HasNode(to)) return -1;
    std::map<std::uint64_t, int> dist{{from, 0}};
    std::deque<std::uint64_t> queue{from};
    while (!queue.empty()) {
      const std::uint64_t at = queue.front();
      queue.pop_front();
      if (at == to) return dist[at];
      for (const auto& [a, b] : edges_) {
        if (a == at && dist.emplace(b, dist[at] + 1).second) queue.push_back(b);
      }
    }
    return -1;
  }
  const std::set<std::uint64_t>& Nodes() const { return nodes_; }
  std::size_t EdgeCount() const { return edges_.size(); }

 private:
  std::set<std::uint64_t> nodes_;
  std::set<std::pair<std::uint64_t, std::uint64_t>> edges_;
};

void ExpectSameGraph(const GraphCycles& graph, const ModelGraph& model, std::uint64_t max_id) {
  ASSERT_TRUE(graph.CheckInvariants());
  ASSERT_EQ(graph.NodeCount(), model.Nodes().size());
  for (std::uint64_t a = 0; a < max_id; ++a) {
    ASSERT_EQ(graph.HasNode(a), model.HasNode(a)) << a;
    for (std::uint64_t b = 0; b < max_id; ++b) {
      ASSERT_EQ(graph.HasEdge(a, b), model.HasEdge(a, b)) << a << "->" << b;
      const int distance = model.Distance(a, b);
      ASSERT_EQ(graph.IsReachable(a, b), distance >= 0) << a << "->" << b;
      const std::vector<std::uint64_t> path = graph.FindPath(a, b, kNoLimit);
      ASSERT_EQ(static_cast<int>(path.size()), distance + 1) << a << "->" << b;
      if (path.empty()) continue;
      EXPECT_EQ(path.front(), a);
      EXPECT_EQ(path.back(), b);
      for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        ASSERT_TRUE(model.HasEdge(path[i], path[i + 1])) << path[i] << "->" << path[i + 1];
      }
    }
  }
}

class GraphCyclesRandomTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(GraphCyclesRandomTest, MatchesBruteForceModel) {
  constexpr std::uint64_t kMaxId = 24;
  std::mt19937 random(GetParam());
  std::uniform_int_distribution<std::uint64_t> node(0, kMaxId - 1);
  std::uniform_int_distribution<int> percent(0, 99);
  GraphCycles graph;
  ModelGraph model;
  int refused = 0;
  for (int step = 0; step < 1500; ++step) {
    const std::uint64_t a = node(random);
    const std::uint64_t b = node(random);
    if (percent(random) < 4) {
      graph.RemoveNode(a);
      model.Remove(a);
    } else {
      // Refused exactly when it would close a cycle: when b already reaches a.
      const bool closes_cycle = a == b || model.Distance(b, a) >= 0;
      ASSERT_EQ(graph.InsertEdge(a, b), !closes_cycle) << "step " << step << ": " << a << "->" << b;
      if (closes_cycle) {
        ++refused;
      } else {
        model.Insert(a, b);
      }
    }
    if (step % 100 == 99) {
      ExpectSameGraph(graph, model, kMaxId);
      if (HasFatalFailure()) return;
    }
  }
  ExpectSameGraph(graph, model, kMaxId);
  // Make sure the run exercised both outcomes.
  EXPECT_GT(refused, 0);
  EXPECT_GT(model.EdgeCount(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Seeds, GraphCyclesRandomTest, ::testing::Range(1u, 11u));

TEST(GraphCyclesTest, LongChainAgainstTheOrder) {
  // Every insertion reorders the whole chain built so far.
  GraphCycles graph;
  constexpr std::uint64_t kLength = 1000;
  AddNodesInReverseOrder(graph, kLength, kLength + 1);
  for (std::uint64_t n = 1; n < kLength; ++n) ASSERT_TRUE(graph.InsertEdge(n, n + 1));
  EXPECT_TRUE(graph.CheckInvariants());
  EXPECT_FALSE(graph.InsertEdge(kLength, 1));
  EXPECT_EQ(graph.FindPath(1, kLength, kNoLimit).size(), kLength);
}

}  // namespace
}  // namespace racelens::detect
