// LockOrderDetector fed with events directly, no threads: thread ids, lock ids
// and stack ids are plain numbers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <vector>

#include "detect/lock_order_detector.hpp"

namespace racelens::detect {

// gtest prints these when an expectation fails.
void PrintTo(const LockOrderCycle::Edge& e, std::ostream* os) {
  *os << "{" << e.from << "->" << e.to << " T" << e.thread << " stacks " << e.from_stack << "/"
      << e.to_stack << "}";
}
void PrintTo(const HeldLock& h, std::ostream* os) {
  *os << "{" << h.lock << " at " << h.stack << "}";
}

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using Edge = LockOrderCycle::Edge;

constexpr std::uint64_t kA = 101;
constexpr std::uint64_t kB = 102;
constexpr std::uint64_t kC = 103;

class LockOrderDetectorTest : public ::testing::Test {
 protected:
  // A blocking acquisition that succeeds; returns the cycles it closed.
  std::vector<LockOrderCycle> Lock(int thread, std::uint64_t lock, std::uint32_t stack) {
    auto cycles = detector.BeforeLock(thread, lock, stack, /*try_lock=*/false);
    detector.AfterLock(thread, lock, stack, /*acquired=*/true);
    return cycles;
  }
  std::vector<LockOrderCycle> TryLock(int thread, std::uint64_t lock, std::uint32_t stack) {
    auto cycles = detector.BeforeLock(thread, lock, stack, /*try_lock=*/true);
    detector.AfterLock(thread, lock, stack, /*acquired=*/true);
    return cycles;
  }
  void Unlock(int thread, std::uint64_t lock) { detector.BeforeUnlock(thread, lock); }
  // Takes `first` then `second` and releases both.
  std::vector<LockOrderCycle> Nested(int thread, std::uint64_t first, std::uint32_t first_stack,
                                     std::uint64_t second, std::uint32_t second_stack) {
    EXPECT_THAT(Lock(thread, first, first_stack), IsEmpty());
    auto cycles = Lock(thread, second, second_stack);
    Unlock(thread, second);
    Unlock(thread, first);
    return cycles;
  }

  LockOrderDetector detector;
};

TEST_F(LockOrderDetectorTest, AbBaInTwoThreadsIsOneCycleWithBothEdges) {
  EXPECT_THAT(Nested(1, kA, 11, kB, 12), IsEmpty());
  const auto cycles = Nested(2, kB, 21, kA, 22);
  ASSERT_THAT(cycles, SizeIs(1));
  // The older edge first; the last edge is the acquisition that closed the cycle.
  EXPECT_THAT(cycles[0].locks, ElementsAre(kA, kB));
  EXPECT_THAT(cycles[0].edges, ElementsAre(Edge{kA, kB, 1, 11, 12}, Edge{kB, kA, 2, 21, 22}));
}

TEST_F(LockOrderDetectorTest, RealDeadlockIsReportedBeforeBlocking) {
  // Both threads hold their first lock and start on the second: the second
  // BeforeLock reports although neither acquisition ever completes.
  ASSERT_THAT(Lock(1, kA, 11), IsEmpty());
  ASSERT_THAT(Lock(2, kB, 21), IsEmpty());
  EXPECT_THAT(detector.BeforeLock(1, kB, 12, false), IsEmpty());
  const auto cycles = detector.BeforeLock(2, kA, 22, false);
  ASSERT_THAT(cycles, SizeIs(1));
  EXPECT_THAT(cycles[0].edges, ElementsAre(Edge{kA, kB, 1, 11, 12}, Edge{kB, kA, 2, 21, 22}));
}

TEST_F(LockOrderDetectorTest, ThreeLockCycle) {
  EXPECT_THAT(Nested(1, kA, 11, kB, 12), IsEmpty());
  EXPECT_THAT(Nested(2, kB, 21, kC, 22), IsEmpty());
  const auto cycles = Nested(3, kC, 31, kA, 32);
  ASSERT_THAT(cycles, SizeIs(1));
  EXPECT_THAT(cycles[0].locks, ElementsAre(kA, kB, kC));
  EXPECT_THAT(cycles[0].edges, ElementsAre(Edge{kA, kB, 1, 11, 12}, Edge{kB, kC, 2, 21, 22},
                                           Edge{kC, kA, 3, 31, 32}));
}

TEST_F(LockOrderDetectorTest, ThreeLocksHeldAtOnceInOneThreadThenReversed) {
  // Holding A and B while taking C gives A->C as well as B->C.
  ASSERT_THAT(Lock(1, kA, 11), IsEmpty());
  ASSERT_THAT(Lock(1, kB, 12), IsEmpty());
  ASSERT_THAT(Lock(1, kC, 13), IsEmpty());
  Unlock(1, kC);
  Unlock(1, kB);
  Unlock(1, kA);
  const auto cycles = Nested(2, kC, 21, kA, 22);
  ASSERT_THAT(cycles, SizeIs(1));
  EXPECT_THAT(cycles[0].locks, ElementsAre(kA, kC));  // the shortest way round
  EXPECT_THAT(cycles[0].edges, ElementsAre(Edge{kA, kC, 1, 11, 13}, Edge{kC, kA, 2, 21, 22}));
}

TEST_F(LockOrderDetectorTest, SameOrderTwiceReportsNothing) {
  EXPECT_THAT(Nested(1, kA, 11, kB, 12), IsEmpty());
  EXPECT_THAT(Nested(2, kA, 21, kB, 22), IsEmpty());
  EXPECT_THAT(Nested(1, kA, 11, kB, 12), IsEmpty());
}

TEST_F(LockOrderDetectorTest, EdgeKeepsTheStacksOfItsFirstAcquisition) {
  EXPECT_THAT(Nested(1, kA, 11, kB, 12), IsEmpty());
  EXPECT_THAT(Nested(2, kA, 21, kB, 22), IsEmpty());
  const auto cycles = Nested(3, kB, 31, kA, 32);
  ASSERT_THAT(cycles, SizeIs(1));
  EXPECT_EQ(cycles[0].edges[0], (Edge{kA, kB, 1, 11, 12}));
}

TEST_F(LockOrderDetectorTest, TryLockAddsNoEdge) {
  ASSERT_THAT(Lock(1, kA, 11), IsEmpty());
  ASSERT_THAT(TryLock(1, kB, 12), IsEmpty());
  Unlock(1, kB);
  Unlock(1, kA);
  EXPECT_THAT(Nested(2, kB, 21, kA, 22), IsEmpty());
}

TEST_F(LockOrderDetectorTest, TryLockedLockIsHeldAndOrdersLaterAcquisitions) {
  ASSERT_THAT(TryLock(1, kA, 11), IsEmpty());
  EXPECT_THAT(detector.HeldLocks(1), ElementsAre(HeldLock{kA, 11}));
  ASSERT_THAT(Lock(1, kB, 12), IsEmpty());
  Unlock(1, kB);
  Unlock(1, kA);
  EXPECT_THAT(Nested(2, kB, 21, kA, 22), SizeIs(1));
}

TEST_F(LockOrderDetectorTest, FailedAcquisitionIsNotHeld) {
  ASSERT_THAT(detector.BeforeLock(1, kA, 11, /*try_lock=*/true), IsEmpty());
  detector.AfterLock(1, kA, 11, /*acquired=*/false);
  EXPECT_THAT(detector.HeldLocks(1), IsEmpty());
  // A timed-out blocking acquire: its edge stays (it was added before blocking), the lock is not
  // held.
  ASSERT_THAT(Lock(1, kB, 12), IsEmpty());
  ASSERT_THAT(detector.BeforeLock(1, kC, 13, false), IsEmpty());
  detector.AfterLock(1, kC, 13, false);
  EXPECT_THAT(detector.HeldLocks(1), ElementsAre(HeldLock{kB, 12}));
  Unlock(1, kB);
  EXPECT_THAT(Nested(2, kC, 21, kB, 22), SizeIs(1));
}

TEST_F(LockOrderDetectorTest, RecursiveAcquisitionAddsNoSelfEdgeAndCountsDepth) {
  ASSERT_THAT(Lock(1, kA, 11), IsEmpty());
  ASSERT_THAT(Lock(1, kA, 12), IsEmpty());
  EXPECT_THAT(detector.HeldLocks(1), ElementsAre(HeldLock{kA, 11}));  // the outermost stack
  Unlock(1, kA);
  EXPECT_THAT(detector.HeldLocks(1), ElementsAre(HeldLock{kA, 11}));
  Unlock(1, kA);
  EXPECT_THAT(detector.HeldLocks(1), IsEmpty());
}

TEST_F(LockOrderDetectorTest, ReenteringAnOuterLockAddsNoEdgeFromInnerLocks) {
  // A, B, then A again: B -> A must not be recorded, since A was already held.
  ASSERT_THAT(Lock(1, kA, 11), IsEmpty());
  ASSERT_THAT(Lock(1, kB, 12), IsEmpty());
  ASSERT_THAT(Lock(1, kA, 13), IsEmpty());
  Unlock(1, kA);
  Unlock(1, kB);
  Unlock(1, kA);
  EXPECT_THAT(detector.HeldLocks(1), IsEmpty());
  EXPECT_THAT(Nested(2, kA, 21, kB, 22), IsEmpty());
}

TEST_F(LockOrderDetectorTest, UnlockByAnotherThreadReleasesTheHolder) {
  ASSERT_THAT(Lock(1, kA, 11), IsEmpty());
  Unlock(2, kA);  // an ownerless Lock released by another thread
  EXPECT_THAT(detector.HeldLocks(1), IsEmpty());
  // Thread 1 no longer holds A: taking B orders nothing.
  ASSERT_THAT(Lock(1, kB, 12), IsEmpty());
  Unlock(1, kB);
  EXPECT_THAT(Nested(2, kB, 21, kA, 22), IsEmpty());
}

TEST_F(LockOrderDetectorTest, UnlockPrefersTheCallingThread) {
  ASSERT_THAT(Lock(1, kA, 11), IsEmpty());
  ASSERT_THAT(TryLock(2, kA, 21), IsEmpty());  // bookkeeping only: both claim A
  Unlock(2, kA);
  EXPECT_THAT(detector.HeldLocks(1), ElementsAre(HeldLock{kA, 11}));
  EXPECT_THAT(detector.HeldLocks(2), IsEmpty());
}

TEST_F(LockOrderDetectorTest, UnlockOfALockNobodyHoldsIsIgnored) {
  ASSERT_THAT(Lock(1, kA, 11), IsEmpty());
  Unlock(1, kB);
  Unlock(3, kC);
  EXPECT_THAT(detector.HeldLocks(1), ElementsAre(HeldLock{kA, 11}));
}

TEST_F(LockOrderDetectorTest, DestroyedLockEdgesAreForgotten) {
  EXPECT_THAT(Nested(1, kA, 11, kB, 12), IsEmpty());
  detector.LockDestroyed(kA);
  // The id comes back as a new lock with no history.
  EXPECT_THAT(Nested(2, kB, 21, kA, 22), IsEmpty());
}

TEST_F(LockOrderDetectorTest, DestroyingALockOnTheCycleLetsTheRefusedOrderIn) {
  EXPECT_THAT(Nested(1, kA, 11, kB, 12), IsEmpty());
  EXPECT_THAT(Nested(1, kB, 13, kC, 14), IsEmpty());
  ASSERT_THAT(Nested(2, kC, 21, kA, 22), SizeIs(1));
  detector.LockDestroyed(kB);
  // C -> A is now a plain edge, so A -> C closes a new, two-lock cycle.
  EXPECT_THAT(Nested(2, kC, 21, kA, 22), IsEmpty());
  const auto cycles = Nested(3, kA, 31, kC, 32);
  ASSERT_THAT(cycles, SizeIs(1));
  EXPECT_THAT(cycles[0].edges, ElementsAre(Edge{kC, kA, 2, 21, 22}, Edge{kA, kC, 3, 31, 32}));
}

TEST_F(LockOrderDetectorTest, DestroyedLockIsNoLongerHeld) {
  ASSERT_THAT(Lock(1, kA, 11), IsEmpty());
  ASSERT_THAT(Lock(1, kB, 12), IsEmpty());
  detector.LockDestroyed(kA);
  EXPECT_THAT(detector.HeldLocks(1), ElementsAre(HeldLock{kB, 12}));
}

TEST_F(LockOrderDetectorTest, SameCycleIsReportedOnce) {
  EXPECT_THAT(Nested(1, kA, 11, kB, 12), IsEmpty());
  EXPECT_THAT(Nested(2, kB, 21, kA, 22), SizeIs(1));
  EXPECT_THAT(Nested(2, kB, 21, kA, 22), IsEmpty());
  EXPECT_THAT(Nested(3, kB, 31, kA, 32), IsEmpty());  // another thread, same edges
}

TEST_F(LockOrderDetectorTest, CyclesSharingAnEdgeAreDistinct) {
  EXPECT_THAT(Nested(1, kA, 11, kB, 12), IsEmpty());
  EXPECT_THAT(Nested(1, kB, 13, kC, 14), IsEmpty());
  EXPECT_THAT(Nested(2, kC, 21, kA, 22), SizeIs(1));  // A -> B -> C -> A
  const auto cycles = Nested(3, kB, 31, kA, 32);      // A -> B -> A
  ASSERT_THAT(cycles, SizeIs(1));
  EXPECT_THAT(cycles[0].locks, ElementsAre(kA, kB));
}

TEST_F(LockOrderDetectorTest, SeveralHeldLocksCanCloseSeveralCycles) {
  EXPECT_THAT(Nested(1, kC, 11, kA, 12), IsEmpty());
  EXPECT_THAT(Nested(1, kC, 13, kB, 14), IsEmpty());
  // Thread 2 holds A and B, then takes C: A -> C and B -> C each close a cycle.
  ASSERT_THAT(Lock(2, kA, 21), IsEmpty());
  ASSERT_THAT(Lock(2, kB, 22), IsEmpty());
  const auto cycles = Lock(2, kC, 23);
  ASSERT_THAT(cycles, SizeIs(2));
  EXPECT_THAT(cycles[0].edges, ElementsAre(Edge{kC, kA, 1, 11, 12}, Edge{kA, kC, 2, 21, 23}));
  EXPECT_THAT(cycles[1].edges, ElementsAre(Edge{kC, kB, 1, 13, 14}, Edge{kB, kC, 2, 22, 23}));
}

TEST_F(LockOrderDetectorTest, ThreadFinishedReturnsHeldLocksAndForgetsTheThread) {
  ASSERT_THAT(Lock(1, kB, 11), IsEmpty());
  ASSERT_THAT(Lock(1, kA, 12), IsEmpty());
  ASSERT_THAT(Lock(1, kA, 13), IsEmpty());  // recursive: listed once
  ASSERT_THAT(Lock(1, kC, 14), IsEmpty());
  Unlock(1, kC);
  EXPECT_THAT(detector.ThreadFinished(1), ElementsAre(HeldLock{kB, 11}, HeldLock{kA, 12}));
  EXPECT_THAT(detector.HeldLocks(1), IsEmpty());
  EXPECT_THAT(detector.ThreadFinished(1), IsEmpty());
  EXPECT_THAT(detector.ThreadFinished(42), IsEmpty());
}

TEST_F(LockOrderDetectorTest, ThreadFinishedWithNothingHeld) {
  EXPECT_THAT(Nested(1, kA, 11, kB, 12), IsEmpty());
  EXPECT_THAT(detector.ThreadFinished(1), IsEmpty());
}

TEST_F(LockOrderDetectorTest, HoldsFollowsAcquireAndRelease) {
  EXPECT_FALSE(detector.Holds(1, kA));
  ASSERT_THAT(Lock(1, kA, 11), IsEmpty());
  EXPECT_TRUE(detector.Holds(1, kA));
  EXPECT_FALSE(detector.Holds(2, kA));
  EXPECT_FALSE(detector.Holds(1, kB));
  Unlock(1, kA);
  EXPECT_FALSE(detector.Holds(1, kA));
}

TEST_F(LockOrderDetectorTest, NeedsStackOnlyForAnOrderNotSeenBefore) {
  // Nothing held: no edge can appear.
  EXPECT_FALSE(detector.NeedsStack(1, kA, /*try_lock=*/false));
  ASSERT_THAT(Lock(1, kA, 11), IsEmpty());
  EXPECT_TRUE(detector.NeedsStack(1, kB, /*try_lock=*/false));
  EXPECT_FALSE(detector.NeedsStack(1, kB, /*try_lock=*/true));   // try-locks add no edge
  EXPECT_FALSE(detector.NeedsStack(1, kA, /*try_lock=*/false));  // re-acquisition
  ASSERT_THAT(Lock(1, kB, 12), IsEmpty());
  Unlock(1, kB);
  EXPECT_FALSE(detector.NeedsStack(1, kB, /*try_lock=*/false));  // A->B is known now
  Unlock(1, kA);
  // The refused inverted order is known too once reported.
  ASSERT_THAT(Lock(2, kB, 21), IsEmpty());
  EXPECT_TRUE(detector.NeedsStack(2, kA, /*try_lock=*/false));
  EXPECT_THAT(Lock(2, kA, 22), SizeIs(1));
  Unlock(2, kA);
  EXPECT_FALSE(detector.NeedsStack(2, kA, /*try_lock=*/false));
}

}  // namespace
}  // namespace racelens::detect
