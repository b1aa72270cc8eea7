// VectorClock and HappensBefore, fed directly without threads.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "detect/happens_before.hpp"
#include "detect/vector_clock.hpp"

namespace racelens::detect {
namespace {

TEST(VectorClockTest, MissingEntriesAreZeroAndTickAdvancesOne) {
  VectorClock c;
  EXPECT_EQ(c.Get(5), 0u);
  c.Tick(2);
  c.Tick(2);
  EXPECT_EQ(c.Get(2), 2u);
  EXPECT_EQ(c.ToString(), "[0,0,2]");
}

TEST(VectorClockTest, JoinIsPointwiseMaximum) {
  VectorClock a;
  a.Set(0, 3);
  a.Set(1, 1);
  VectorClock b;
  b.Set(1, 4);
  b.Set(3, 2);
  a.Join(b);
  EXPECT_EQ(a.ToString(), "[3,4,0,2]");
  EXPECT_TRUE(b.LessOrEqual(a));
  EXPECT_FALSE(a.LessOrEqual(b));
}

TEST(VectorClockTest, CoversEpochsAtOrBelowItsEntry) {
  VectorClock c;
  c.Set(1, 5);
  EXPECT_TRUE(c.Covers({1, 5}));
  EXPECT_TRUE(c.Covers({1, 4}));
  EXPECT_FALSE(c.Covers({1, 6}));
  EXPECT_FALSE(c.Covers({2, 1}));
}

// Clocks of few threads live inside the object, larger ones on the heap:
// copies and moves must carry the entries across both forms.
TEST(VectorClockTest, CopiesAndMovesKeepEveryEntryInlineAndOnTheHeap) {
  for (const ThreadId threads : {3, 8, 9, 40}) {
    VectorClock original;
    for (ThreadId t = 0; t < threads; ++t) original.Set(t, static_cast<Time>(t * 10 + 1));
    const std::string expected = original.ToString();

    VectorClock copy(original);
    EXPECT_EQ(copy.ToString(), expected);
    VectorClock assigned;
    assigned.Set(60, 7);  // a larger clock shrinks to the copied one
    assigned = original;
    EXPECT_EQ(assigned.ToString(), expected);
    copy.Tick(0);
    EXPECT_EQ(original.Get(0), 1u) << "a copy shares no storage";

    VectorClock moved(std::move(copy));
    EXPECT_EQ(moved.Get(0), 2u);
    EXPECT_EQ(moved.Get(threads - 1), original.Get(threads - 1));
    VectorClock move_assigned;
    move_assigned.Set(50, 1);
    move_assigned = std::move(moved);
    EXPECT_EQ(move_assigned.Get(0), 2u);
    EXPECT_EQ(move_assigned.Get(50), 0u);
    EXPECT_EQ(move_assigned.Get(threads - 1), original.Get(threads - 1));

    VectorClock grown(original);
    grown.Set(threads + 20, 5);  // outgrows the inline storage: old entries kept, gap zero
    EXPECT_EQ(grown.Get(threads - 1), original.Get(threads - 1));
    EXPECT_EQ(grown.Get(threads + 19), 0u);
    EXPECT_EQ(grown.Get(threads + 20), 5u);
  }
}

TEST(HappensBeforeTest, ThreadStartOrdersParentBeforeChild) {
  HappensBefore hb;
  const Epoch before_start = hb.CurrentEpoch(0);
  hb.ThreadCreated(0, 1);
  EXPECT_TRUE(hb.ClockOf(1).Covers(before_start));
  // The parent's later steps are not ordered before the child.
  EXPECT_FALSE(hb.ClockOf(1).Covers(hb.CurrentEpoch(0)));
}

TEST(HappensBeforeTest, JoinOrdersChildBeforeJoiner) {
  HappensBefore hb;
  hb.ThreadCreated(0, 1);
  const Epoch child_work = hb.CurrentEpoch(1);
  EXPECT_FALSE(hb.ClockOf(0).Covers(child_work));
  hb.ThreadJoined(0, 1);
  EXPECT_TRUE(hb.ClockOf(0).Covers(child_work));
}

TEST(HappensBeforeTest, ReleaseThenAcquireOrdersAcrossThreads) {
  HappensBefore hb;
  VectorClock lock;
  const Epoch in_critical_section = hb.CurrentEpoch(1);
  hb.Release(1, lock);
  EXPECT_FALSE(hb.ClockOf(2).Covers(in_critical_section));
  hb.Acquire(2, lock);
  EXPECT_TRUE(hb.ClockOf(2).Covers(in_critical_section));
  // The releaser moved on: its next step is not ordered before the acquirer.
  EXPECT_FALSE(hb.ClockOf(2).Covers(hb.CurrentEpoch(1)));
}

TEST(HappensBeforeTest, EdgesAreTransitive) {
  HappensBefore hb;
  VectorClock ab;
  VectorClock bc;
  const Epoch a = hb.CurrentEpoch(1);
  hb.Release(1, ab);
  hb.Acquire(2, ab);
  hb.Release(2, bc);
  hb.Acquire(3, bc);
  EXPECT_TRUE(hb.ClockOf(3).Covers(a));
}

}  // namespace
}  // namespace racelens::detect
