// Port of CPython's Lib/test/lock_tests.py: RLockTests (racelens::RLock). The BaseLockTests
// that RLockTests inherits run for RLock in lock_test.cpp, as BaseLockTests/RLockTests.*.
//
// Not ported:
//   RLockTests.test_repr_count               no repr() in C++
//   RLockTests.test_release_save_unacquired  _release_save() is private in C++ (only Condition
//                                            uses it); Condition.wait on an un-acquired lock is
//                                            ConditionTests.test_unacquired_wait
//
// Python lets worker threads exit while they still own the RLock; here they release it first,
// because a thread exiting while holding a lock is a misuse the runtime reports.

#include <atomic>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "racelens/threading.hpp"
#include "support/bunch.hpp"

namespace {

using racelens::RLock;
using racelens::RuntimeError;
using racelens::testing::Bunch;
using racelens::testing::FailOnThrow;
using racelens::testing::SharedList;
using racelens::testing::WaitUntilTrue;
using ::testing::ElementsAre;

constexpr const char* kUnacquired = "cannot release un-acquired lock";

TEST(RLockTests, test_reacquire) {
  RLock lock;
  lock.acquire();
  lock.acquire();
  lock.release();
  lock.acquire();
  lock.release();
  lock.release();
  EXPECT_FALSE(lock.locked());
}

TEST(RLockTests, test_release_unacquired) {
  // Cannot release an unacquired lock.
  RLock lock;
  RACELENS_EXPECT_THROW_MESSAGE(lock.release(), RuntimeError, kUnacquired);
  lock.acquire();
  lock.acquire();
  lock.release();
  lock.acquire();
  lock.release();
  lock.release();
  RACELENS_EXPECT_THROW_MESSAGE(lock.release(), RuntimeError, kUnacquired);
}

TEST(RLockTests, test_locked) {
  RLock lock;
  EXPECT_FALSE(lock.locked());
  lock.acquire();
  EXPECT_TRUE(lock.locked());
  lock.acquire();
  EXPECT_TRUE(lock.locked());
  lock.release();
  EXPECT_TRUE(lock.locked());
  lock.release();
  EXPECT_FALSE(lock.locked());
}

TEST(RLockTests, test_locked_with_2threads) {
  // CPython gh-134323: an RLock acquired by another thread is locked for this one too.
  SharedList<bool> result;
  RLock rlock;
  EXPECT_FALSE(rlock.locked());
  std::atomic<int> phase{0};
  Bunch bunch(FailOnThrow([&] {
                result.append(rlock.locked());
                rlock.acquire();
                result.append(rlock.locked());
                phase = 1;
                WaitUntilTrue([&] { return phase.load() >= 2; });
                rlock.release();
              }),
              1);
  ASSERT_TRUE(WaitUntilTrue([&] { return phase.load() >= 1; }));
  EXPECT_TRUE(rlock.locked());
  EXPECT_FALSE(rlock.is_owned());
  phase = 2;
  EXPECT_TRUE(bunch.wait_for_finished());
  EXPECT_THAT(result.items(), ElementsAre(false, true));
}

TEST(RLockTests, test_recursion_count) {
  RLock lock;
  EXPECT_EQ(0, lock.recursion_count());
  lock.acquire();
  EXPECT_EQ(1, lock.recursion_count());
  lock.acquire();
  lock.acquire();
  EXPECT_EQ(3, lock.recursion_count());
  lock.release();
  EXPECT_EQ(2, lock.recursion_count());
  lock.release();
  lock.release();
  EXPECT_EQ(0, lock.recursion_count());

  std::atomic<int> phase{0};
  racelens::Thread thread(FailOnThrow([&] {
    lock.acquire();
    phase = 1;
    WaitUntilTrue([&] { return phase.load() >= 2; });
    lock.release();
    phase = 3;
  }));
  thread.start();
  // Owned by the other thread: this thread's count is 0.
  ASSERT_TRUE(WaitUntilTrue([&] { return phase.load() >= 1; }));
  EXPECT_EQ(0, lock.recursion_count());

  phase = 2;
  ASSERT_TRUE(WaitUntilTrue([&] { return phase.load() >= 3; }));
  EXPECT_EQ(0, lock.recursion_count());
  thread.join();
}

TEST(RLockTests, test_different_thread) {
  // Cannot release an RLock another thread owns.
  RLock lock;
  std::atomic<int> phase{0};
  Bunch bunch(FailOnThrow([&] {
                lock.acquire();
                phase = 1;
                WaitUntilTrue([&] { return phase.load() >= 2; });
                lock.release();
              }),
              1, /*wait_before_exit=*/true);
  ASSERT_TRUE(WaitUntilTrue([&] { return phase.load() >= 1; }));
  RACELENS_EXPECT_THROW_MESSAGE(lock.release(), RuntimeError, kUnacquired);
  EXPECT_TRUE(lock.locked());
  phase = 2;
  bunch.do_finish();
  EXPECT_TRUE(bunch.wait_for_finished());
}

TEST(RLockTests, test__is_owned) {
  RLock lock;
  EXPECT_FALSE(lock.is_owned());
  lock.acquire();
  EXPECT_TRUE(lock.is_owned());
  lock.acquire();
  EXPECT_TRUE(lock.is_owned());
  SharedList<bool> result;
  {
    Bunch bunch(FailOnThrow([&] { result.append(lock.is_owned()); }), 1);
    EXPECT_TRUE(bunch.wait_for_finished());
  }
  EXPECT_THAT(result.items(), ElementsAre(false));
  lock.release();
  EXPECT_TRUE(lock.is_owned());
  lock.release();
  EXPECT_FALSE(lock.is_owned());
}

}  // namespace
