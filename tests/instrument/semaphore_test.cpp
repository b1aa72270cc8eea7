// Port of CPython's Lib/test/lock_tests.py: BaseSemaphoreTests (typed over racelens::Semaphore
// and racelens::BoundedSemaphore, instances named after the Python classes that run them:
// SemaphoreTests and BoundedSemaphoreTests), SemaphoreTests and BoundedSemaphoreTests.
//
// Not ported:
//   SemaphoreTests.test_repr          no repr() in C++
//   BoundedSemaphoreTests.test_repr   no repr() in C++
//
// Where Python sleeps so that a worker is blocked before the semaphore is released
// (wait_threads_blocked()), these tests wait until the runtime reports it blocked. Timeouts are
// shorter than Python's; elapsed times are only checked from below, with Python's
// assertTimeout() tolerance.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "racelens/threading.hpp"
#include "support/bunch.hpp"

namespace {

using racelens::BoundedSemaphore;
using racelens::Semaphore;
using racelens::ValueError;
using racelens::testing::BlockedThreads;
using racelens::testing::Bunch;
using racelens::testing::FailOnThrow;
using racelens::testing::SharedList;
using racelens::testing::WaitUntilTrue;
using ::testing::Each;
using ::testing::Eq;
using ::testing::SizeIs;

constexpr double kTimeout = 0.1;

// Python's assertTimeout() without its upper bound: timing above is never asserted.
void ExpectTimeout(double actual, double expected) { EXPECT_GE(actual, expected * 0.6); }

// `count` copies of each phase number, phases 0, 1, 2...: Python's [0] * a + [1] * b + ...
std::vector<int> Phases(std::initializer_list<int> counts) {
  std::vector<int> out;
  int phase = 0;
  for (int count : counts) {
    out.insert(out.end(), count, phase);
    ++phase;
  }
  return out;
}

std::vector<int> SortedConcat(const SharedList<int>& a, const SharedList<int>& b) {
  std::vector<int> out = a.items();
  const std::vector<int> more = b.items();
  out.insert(out.end(), more.begin(), more.end());
  std::sort(out.begin(), out.end());
  return out;
}

// When an expectation fails half-way, workers may still be blocked in acquire(); release the
// semaphore until they finish so that the Bunch can be joined instead of hanging.
class ReleaseUntilFinished {
 public:
  ReleaseUntilFinished(Semaphore& sem, Bunch& bunch, int n) : sem_(sem), bunch_(bunch), n_(n) {}
  ~ReleaseUntilFinished() {
    WaitUntilTrue([this] {
      if (bunch_.finished() >= n_) return true;
      try {
        sem_.release();
      } catch (const ValueError&) {
        // A BoundedSemaphore already at its bound: the workers are not waiting on it.
      }
      return false;
    });
  }

 private:
  Semaphore& sem_;
  Bunch& bunch_;
  const int n_;
};

template <class S>
class BaseSemaphoreTests : public ::testing::Test {};

struct SemaphoreClassNames {
  template <class T>
  static std::string GetName(int) {
    return std::is_same_v<T, Semaphore> ? "SemaphoreTests" : "BoundedSemaphoreTests";
  }
};

using SemaphoreTypes = ::testing::Types<Semaphore, BoundedSemaphore>;
TYPED_TEST_SUITE(BaseSemaphoreTests, SemaphoreTypes, SemaphoreClassNames);

TYPED_TEST(BaseSemaphoreTests, test_constructor) {
  constexpr const char* message = "semaphore initial value must be >= 0";
  RACELENS_EXPECT_THROW_MESSAGE(TypeParam sem(-1), ValueError, message);
  // -sys.maxsize
  RACELENS_EXPECT_THROW_MESSAGE(TypeParam sem(-std::numeric_limits<std::int64_t>::max()),
                                ValueError, message);
}

TYPED_TEST(BaseSemaphoreTests, test_acquire) {
  {
    TypeParam sem(1);
    sem.acquire();
    sem.release();
  }
  TypeParam sem(2);
  sem.acquire();
  sem.acquire();
  sem.release();
  sem.release();
}

TYPED_TEST(BaseSemaphoreTests, test_acquire_destroy) {
  auto sem = std::make_unique<TypeParam>();
  sem->acquire();
  sem.reset();
}

// test_acquire_contended and test_multirelease: 10 workers each acquire twice from a
// semaphore of value 7 that the test holds once; `release(k)` hands out k more.
void CheckAcquireContended(Semaphore& sem, const std::function<void(Semaphore&, int)>& release,
                           SharedList<bool>* sem_results) {
  constexpr int sem_value = 7;
  sem.acquire();
  SharedList<int> results1;
  SharedList<int> results2;
  std::atomic<int> phase_num{0};
  auto func = [&] {
    const bool r1 = sem.acquire();
    if (sem_results) sem_results->append(r1);
    results1.append(phase_num.load());
    const bool r2 = sem.acquire();
    if (sem_results) sem_results->append(r2);
    results2.append(phase_num.load());
  };
  auto wait_count = [&](std::size_t count) {
    EXPECT_TRUE(WaitUntilTrue([&] { return results1.size() + results2.size() >= count; }));
  };

  constexpr int N = 10;
  Bunch bunch(FailOnThrow(func), N);
  ReleaseUntilFinished cleanup(sem, bunch, N);
  // Phase 0.
  constexpr int count1 = sem_value - 1;
  wait_count(count1);
  EXPECT_EQ(SortedConcat(results1, results2), Phases({count1}));

  // Phase 1.
  phase_num = 1;
  constexpr int count2 = sem_value;
  release(sem, count2);
  wait_count(count1 + count2);
  EXPECT_EQ(SortedConcat(results1, results2), Phases({count1, count2}));

  // Phase 2.
  phase_num = 2;
  constexpr int count3 = sem_value - 1;
  release(sem, count3);
  wait_count(count1 + count2 + count3);
  EXPECT_EQ(SortedConcat(results1, results2), Phases({count1, count2, count3}));
  // The semaphore is still locked.
  EXPECT_FALSE(sem.acquire(false));

  // Final release, to let the last thread finish.
  sem.release();
  EXPECT_TRUE(bunch.wait_for_finished());
}

TYPED_TEST(BaseSemaphoreTests, test_acquire_contended) {
  TypeParam sem(7);
  SharedList<bool> sem_results;
  CheckAcquireContended(
      sem,
      [](Semaphore& s, int n) {
        for (int i = 0; i < n; ++i) s.release();
      },
      &sem_results);
  EXPECT_THAT(sem_results.items(), SizeIs(6 + 7 + 6 + 1));
  EXPECT_THAT(sem_results.items(), Each(Eq(true)));
}

TYPED_TEST(BaseSemaphoreTests, test_multirelease) {
  TypeParam sem(7);
  CheckAcquireContended(sem, [](Semaphore& s, int n) { s.release(n); }, nullptr);
}

TYPED_TEST(BaseSemaphoreTests, test_try_acquire) {
  TypeParam sem(2);
  EXPECT_TRUE(sem.acquire(false));
  EXPECT_TRUE(sem.acquire(false));
  EXPECT_FALSE(sem.acquire(false));
  sem.release();
  EXPECT_TRUE(sem.acquire(false));
}

TYPED_TEST(BaseSemaphoreTests, test_try_acquire_contended) {
  TypeParam sem(4);
  sem.acquire();
  SharedList<bool> results;
  {
    Bunch bunch(FailOnThrow([&] {
                  results.append(sem.acquire(false));
                  results.append(sem.acquire(false));
                }),
                5);
    EXPECT_TRUE(bunch.wait_for_finished());
  }
  // The order of the results is not deterministic, only their count.
  std::vector<bool> sorted = results.items();
  std::sort(sorted.begin(), sorted.end());
  std::vector<bool> expected(7, false);
  expected.insert(expected.end(), 3, true);
  EXPECT_EQ(sorted, expected);
}

TYPED_TEST(BaseSemaphoreTests, test_acquire_timeout) {
  TypeParam sem(2);
  RACELENS_EXPECT_THROW_MESSAGE(sem.acquire(false, 1.0), ValueError,
                                "can't specify timeout for non-blocking acquire");
  EXPECT_TRUE(sem.acquire(true, 0.005));
  EXPECT_TRUE(sem.acquire(true, 0.005));
  EXPECT_FALSE(sem.acquire(true, 0.005));
  sem.release();
  EXPECT_TRUE(sem.acquire(true, 0.005));
  const double t = racelens::monotonic();
  EXPECT_FALSE(sem.acquire(true, kTimeout));
  ExpectTimeout(racelens::monotonic() - t, kTimeout);
}

TYPED_TEST(BaseSemaphoreTests, test_default_value) {
  // The default initial value is 1.
  TypeParam sem;
  sem.acquire();
  BlockedThreads blocked(&sem);
  Bunch bunch(FailOnThrow([&] {
                sem.acquire();
                sem.release();
              }),
              1);
  // The thread is blocked on sem.acquire().
  EXPECT_TRUE(blocked.wait_for(1));
  EXPECT_EQ(bunch.finished(), 0);

  sem.release();
  EXPECT_TRUE(bunch.wait_for_finished());
}

TYPED_TEST(BaseSemaphoreTests, test_with) {
  TypeParam sem(2);
  // A scoped guard is Python's `with sem:`.
  auto with = [&](bool err) {
    std::lock_guard outer(sem);
    EXPECT_TRUE(sem.acquire(false));
    sem.release();
    std::lock_guard inner(sem);
    EXPECT_FALSE(sem.acquire(false));
    if (err) throw std::invalid_argument("TypeError");
  };
  with(false);
  EXPECT_TRUE(sem.acquire(false));
  sem.release();
  EXPECT_THROW(with(true), std::invalid_argument);
  EXPECT_TRUE(sem.acquire(false));
  sem.release();
}

TEST(SemaphoreTests, test_release_unacquired) {
  // Unbounded releases are allowed and increment the semaphore's value.
  Semaphore sem(1);
  sem.release();
  sem.acquire();
  sem.acquire();
  sem.release();
  EXPECT_EQ(sem.value(), 1);
}

TEST(BoundedSemaphoreTests, test_release_unacquired) {
  // Cannot go past the initial value.
  constexpr const char* message = "Semaphore released too many times";
  BoundedSemaphore sem;
  RACELENS_EXPECT_THROW_MESSAGE(sem.release(), ValueError, message);
  sem.acquire();
  sem.release();
  RACELENS_EXPECT_THROW_MESSAGE(sem.release(), ValueError, message);
  EXPECT_EQ(sem.value(), 1);
}

}  // namespace
