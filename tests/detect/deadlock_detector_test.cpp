// DeadlockDetector fed with events directly, no threads: thread ids, objects and times are plain
// values, and the clock is whatever the test passes in.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "detect/deadlock_detector.hpp"

namespace racelens::detect {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

constexpr double kTimeout = 1.0;
const int kLockA = 0;  // objects: only their addresses matter
const int kLockB = 0;
const int kQueue = 0;

auto ThreadIs(int thread) { return Field(&BlockedThread::thread, thread); }

TEST(DeadlockDetectorTest, AbBaCycleInTheWaitForGraphAfterTheTimeout) {
  DeadlockDetector d;
  d.ThreadStarted(1);
  d.ThreadStarted(2);
  d.LockAcquired(1, &kLockA);
  d.LockAcquired(2, &kLockB);
  d.Blocked(1, &kLockB, /*on_lock=*/true, /*timed=*/false, 11, /*now=*/10.0);
  d.Blocked(2, &kLockA, /*on_lock=*/true, /*timed=*/false, 22, /*now=*/10.0);
  EXPECT_FALSE(d.Check(10.5, kTimeout).has_value()) << "not stuck for the timeout yet";
  const auto deadlock = d.Check(11.0, kTimeout);
  ASSERT_TRUE(deadlock.has_value());
  EXPECT_EQ(deadlock->cycle.size(), 2u);
  EXPECT_THAT(deadlock->threads, ElementsAre(ThreadIs(1), ThreadIs(2)));
  EXPECT_EQ(deadlock->threads[0].stack, 11u);
}

TEST(DeadlockDetectorTest, WaitingForALockItsHolderWillReleaseIsNoCycle) {
  DeadlockDetector d;
  d.ThreadStarted(1);
  d.ThreadStarted(2);
  d.LockAcquired(2, &kLockA);
  d.Blocked(1, &kLockA, true, false, 0, 0.0);  // thread 2 still runs
  EXPECT_FALSE(d.Check(100.0, kTimeout).has_value());
}

TEST(DeadlockDetectorTest, EveryLiveThreadBlockedWithoutTimeout) {
  DeadlockDetector d;
  d.ThreadStarted(0);
  d.ThreadStarted(1);
  d.Blocked(0, &kQueue, /*on_lock=*/false, false, 0, 1.0);  // Queue.join()
  EXPECT_FALSE(d.Check(5.0, kTimeout).has_value()) << "thread 1 still runs";
  d.Blocked(1, &kQueue, false, false, 0, 2.0);  // Queue.get()
  EXPECT_FALSE(d.Check(2.5, kTimeout).has_value()) << "the latest wait is younger than the timeout";
  const auto deadlock = d.Check(3.0, kTimeout);
  ASSERT_TRUE(deadlock.has_value());
  EXPECT_TRUE(deadlock->cycle.empty());
  EXPECT_THAT(deadlock->threads, ElementsAre(ThreadIs(0), ThreadIs(1)));
}

TEST(DeadlockDetectorTest, ATimedWaitKeepsTheProcessAlive) {
  DeadlockDetector d;
  d.ThreadStarted(0);
  d.ThreadStarted(1);
  d.Blocked(0, &kQueue, false, false, 0, 0.0);
  d.Blocked(1, &kQueue, false, /*timed=*/true, 0, 0.0);
  EXPECT_FALSE(d.Check(100.0, kTimeout).has_value());
  d.Unblocked(1);  // the timed wait ended; the thread runs again
  EXPECT_FALSE(d.Check(100.0, kTimeout).has_value());
}

TEST(DeadlockDetectorTest, UnblockedAndFinishedThreadsAreNotStuck) {
  DeadlockDetector d;
  d.ThreadStarted(0);
  d.ThreadStarted(1);
  d.Blocked(0, &kQueue, false, false, 0, 0.0);
  d.Blocked(1, &kQueue, false, false, 0, 0.0);
  d.Unblocked(1);
  EXPECT_FALSE(d.Check(100.0, kTimeout).has_value());
  EXPECT_TRUE(d.IsLive(1));
  d.ThreadFinished(1);  // only thread 0 is left, blocked
  EXPECT_FALSE(d.IsLive(1));
  const auto deadlock = d.Check(100.0, kTimeout);
  ASSERT_TRUE(deadlock.has_value());
  EXPECT_THAT(deadlock->threads, ElementsAre(ThreadIs(0)));
}

TEST(DeadlockDetectorTest, ReportedOnceUntilRearmed) {
  DeadlockDetector d;
  d.ThreadStarted(0);
  d.Blocked(0, &kQueue, false, false, 0, 0.0);
  EXPECT_TRUE(d.Check(2.0, kTimeout).has_value());
  EXPECT_FALSE(d.Check(3.0, kTimeout).has_value());
  d.Rearm();
  EXPECT_TRUE(d.Check(4.0, kTimeout).has_value());
}

TEST(DeadlockDetectorTest, ReleasedLockBreaksTheCycle) {
  DeadlockDetector d;
  d.ThreadStarted(1);
  d.ThreadStarted(2);
  d.ThreadStarted(3);  // keeps "every thread blocked" false
  d.LockAcquired(1, &kLockA);
  d.LockAcquired(2, &kLockB);
  d.Blocked(1, &kLockB, true, false, 0, 0.0);
  d.Blocked(2, &kLockA, true, false, 0, 0.0);
  d.LockReleased(&kLockA);  // e.g. released by thread 3 (an ownerless Lock)
  EXPECT_FALSE(d.Check(100.0, kTimeout).has_value());
}

}  // namespace
}  // namespace racelens::detect
