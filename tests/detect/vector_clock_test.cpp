// VectorClock and HappensBefore, fed directly without threads.
#include <gtest/gtest.h>

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
