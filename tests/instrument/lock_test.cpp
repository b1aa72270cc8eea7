// Port of CPython's Lib/test/lock_tests.py: BaseLockTests (typed over racelens::Lock and
// racelens::RLock, instances named after the Python classes that run them: LockTests and
// RLockTests) and LockTests (racelens::Lock only). RLockTests' own tests are in rlock_test.cpp.
//
// Not ported:
//   BaseLockTests.test_constructor_noargs   passing arguments is a compile-time error in C++
//   BaseLockTests.test_repr                 no repr() in C++
//   BaseLockTests.test_locked_repr          no repr() in C++
//   BaseLockTests.test_weakref_exists       no weak references to a C++ object
//   BaseLockTests.test_weakref_deleted      no weak references or garbage collector
//   LockTests.test_at_fork_reinit           racelens has no _at_fork_reinit()
//
// Timeouts are shorter than Python's; elapsed times are only checked from below, with
// Python's assertTimeout() tolerance.

#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "racelens/threading.hpp"
#include "support/bunch.hpp"

namespace {

using racelens::Lock;
using racelens::OverflowError;
using racelens::RLock;
using racelens::RuntimeError;
using racelens::ValueError;
using racelens::testing::BlockedThreads;
using racelens::testing::Bunch;
using racelens::testing::FailOnThrow;
using racelens::testing::SharedList;
using racelens::testing::WaitUntilTrue;

constexpr double kTimeout = 0.1;

// Python's assertTimeout() without its upper bound: timing above is never asserted.
void ExpectTimeout(double actual, double expected) { EXPECT_GE(actual, expected * 0.6); }

template <class L>
class BaseLockTests : public ::testing::Test {};

struct LockClassNames {
  template <class T>
  static std::string GetName(int) {
    return std::is_same_v<T, Lock> ? "LockTests" : "RLockTests";
  }
};

using LockTypes = ::testing::Types<Lock, RLock>;
TYPED_TEST_SUITE(BaseLockTests, LockTypes, LockClassNames);

TYPED_TEST(BaseLockTests, test_constructor) {
  TypeParam lock;
  TypeParam named("named");
  EXPECT_EQ(named.name(), "named");
}

TYPED_TEST(BaseLockTests, test_acquire_destroy) {
  auto lock = std::make_unique<TypeParam>();
  lock->acquire();
  lock.reset();
}

TYPED_TEST(BaseLockTests, test_acquire_release) {
  auto lock = std::make_unique<TypeParam>();
  lock->acquire();
  lock->release();
  lock.reset();
}

TYPED_TEST(BaseLockTests, test_try_acquire) {
  TypeParam lock;
  EXPECT_TRUE(lock.acquire(false));
  lock.release();
}

TYPED_TEST(BaseLockTests, test_try_acquire_contended) {
  TypeParam lock;
  lock.acquire();
  SharedList<bool> result;
  {
    Bunch bunch(FailOnThrow([&] { result.append(lock.acquire(false)); }), 1);
    EXPECT_TRUE(bunch.wait_for_finished());
  }
  ASSERT_EQ(result.size(), 1u);
  EXPECT_FALSE(result.items()[0]);
  lock.release();
}

TYPED_TEST(BaseLockTests, test_acquire_contended) {
  TypeParam lock;
  lock.acquire();
  auto f = [&] {
    lock.acquire();
    lock.release();
  };
  constexpr int N = 5;
  BlockedThreads blocked(&lock);
  Bunch bunch(FailOnThrow(f), N);
  EXPECT_TRUE(bunch.wait_for_started());
  // Every worker is inside acquire(): none can have got past the held lock.
  EXPECT_TRUE(blocked.wait_for(N));
  EXPECT_EQ(bunch.finished(), 0);

  lock.release();
  EXPECT_TRUE(bunch.wait_for_finished());
  EXPECT_EQ(bunch.finished(), N);
}

TYPED_TEST(BaseLockTests, test_with) {
  TypeParam lock;
  auto f = [&] {
    lock.acquire();
    lock.release();
  };
  // A scoped guard is Python's `with lock:`.
  {
    std::lock_guard guard(lock);
  }
  // The lock is unacquired: another thread can take it.
  {
    Bunch bunch(FailOnThrow(f), 1);
    EXPECT_TRUE(bunch.wait_for_finished());
  }

  EXPECT_THROW(
      {
        std::lock_guard guard(lock);
        throw std::invalid_argument("TypeError");
      },
      std::invalid_argument);
  // Leaving the scope by an exception released the lock too.
  {
    Bunch bunch(FailOnThrow(f), 1);
    EXPECT_TRUE(bunch.wait_for_finished());
  }
}

TYPED_TEST(BaseLockTests, test_thread_leak) {
  // The lock must not leave a thread registered after a foreign (non-racelens) thread used it.
  TypeParam lock;
  auto f = [&] {
    lock.acquire();
    lock.release();
  };
  const std::size_t n = racelens::enumerate().size();
  // Many threads, in the hope that thread ids are not recycled.
  std::vector<std::thread> threads;
  for (int i = 0; i < 15; ++i) threads.emplace_back(f);
  for (auto& t : threads) t.join();
  // Python allows a moment for a finished thread to leave the registry.
  WaitUntilTrue([&] { return racelens::enumerate().size() == n; }, 5.0);
  EXPECT_EQ(racelens::enumerate().size(), n);
}

TYPED_TEST(BaseLockTests, test_timeout) {
  TypeParam lock;
  // Each rejected call must leave the lock free, as CPython checks its arguments before
  // acquiring. If one took the lock anyway, fail and free it so that the rest can run.
  auto expect_unlocked = [&] {
    EXPECT_FALSE(lock.locked()) << "acquire() with an invalid argument took the lock";
    while (lock.locked()) lock.release();
  };
  // Can't set a timeout when not blocking.
  RACELENS_EXPECT_THROW_MESSAGE(lock.acquire(false, 1), ValueError,
                                "can't specify a timeout for a non-blocking call");
  expect_unlocked();
  // Invalid timeout values.
  RACELENS_EXPECT_THROW_MESSAGE(lock.acquire(true, -100), ValueError,
                                "timeout value must be a non-negative number");
  expect_unlocked();
  // CPython's message for 1e100 comes from its time conversion, so only the type is checked.
  EXPECT_THROW(lock.acquire(true, 1e100), OverflowError);
  expect_unlocked();
  RACELENS_EXPECT_THROW_MESSAGE(lock.acquire(true, racelens::TIMEOUT_MAX + 1), OverflowError,
                                "timeout value is too large");
  expect_unlocked();
  // TIMEOUT_MAX is ok.
  EXPECT_TRUE(lock.acquire(true, racelens::TIMEOUT_MAX));
  lock.release();
  EXPECT_TRUE(lock.acquire(true, 5));

  SharedList<bool> acquired;
  SharedList<double> elapsed;
  {
    Bunch bunch(FailOnThrow([&] {
                  const double t1 = racelens::monotonic();
                  acquired.append(lock.acquire(true, kTimeout));
                  elapsed.append(racelens::monotonic() - t1);
                }),
                1);
    EXPECT_TRUE(bunch.wait_for_finished());
  }
  ASSERT_EQ(acquired.size(), 1u);
  EXPECT_FALSE(acquired.items()[0]);
  ExpectTimeout(elapsed.items()[0], kTimeout);
  lock.release();
}

TEST(LockTests, test_reacquire) {
  // A Lock must be released before it can be acquired again, even by the same thread.
  Lock lock;
  std::atomic<int> phase{0};
  BlockedThreads blocked(&lock);
  racelens::Thread thread(FailOnThrow([&] {
    lock.acquire();
    phase = 1;
    lock.acquire();
    phase = 2;
    // Not in Python: leave the lock free so the thread does not exit holding it.
    lock.release();
  }));
  thread.start();

  // The thread is blocked in its second acquire().
  EXPECT_TRUE(WaitUntilTrue([&] { return phase.load() >= 1; }));
  EXPECT_TRUE(blocked.wait_for(1));
  EXPECT_EQ(phase.load(), 1);

  // Releasing it from this thread unblocks it.
  lock.release();
  EXPECT_TRUE(WaitUntilTrue([&] { return phase.load() >= 2; }));
  EXPECT_EQ(phase.load(), 2);
  thread.join();
}

TEST(LockTests, test_different_thread) {
  // A Lock can be released from a different thread.
  Lock lock;
  lock.acquire();
  {
    Bunch bunch(FailOnThrow([&] { lock.release(); }), 1);
    EXPECT_TRUE(bunch.wait_for_finished());
  }
  lock.acquire();
  lock.release();
}

TEST(LockTests, test_state_after_timeout) {
  // CPython issue #11618: the lock is in a proper state after a (non-zero) timeout.
  Lock lock;
  lock.acquire();
  EXPECT_FALSE(lock.acquire(true, 0.01));
  lock.release();
  EXPECT_FALSE(lock.locked());
  EXPECT_TRUE(lock.acquire(false));
  lock.release();
}

// Not in lock_tests.py: the Lock counterpart of RLockTests.test_release_unacquired, for the
// first row of DESIGN.md's error table (CPython: RuntimeError "release unlocked lock").
TEST(LockTests, test_release_unacquired) {
  Lock lock;
  RACELENS_EXPECT_THROW_MESSAGE(lock.release(), RuntimeError, "release unlocked lock");
  lock.acquire();
  lock.release();
  RACELENS_EXPECT_THROW_MESSAGE(lock.release(), RuntimeError, "release unlocked lock");
  EXPECT_FALSE(lock.locked());
}

}  // namespace
