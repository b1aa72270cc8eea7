// Port of CPython's Lib/test/lock_tests.py: ConditionTests (racelens::Condition).
//
// Every ConditionTests test is ported. Python sleeps between the steps of test_notify,
// test_waitfor and test_waitfor_timeout to let the workers reach cond.wait(); here the main
// thread waits for a state the workers publish while they hold the condition's lock (a
// `ready` entry, a predicate call), which guarantees they are waiting once the main thread
// gets the lock. Timeouts are shorter than Python's; elapsed times are only checked from
// below, with Python's assertTimeout() tolerance.

#include <atomic>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "racelens/threading.hpp"
#include "support/bunch.hpp"

namespace {

using racelens::Condition;
using racelens::Lock;
using racelens::RuntimeError;
using racelens::testing::Bunch;
using racelens::testing::FailOnThrow;
using racelens::testing::SharedList;
using racelens::testing::WaitUntilTrue;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr double kTimeout = 0.1;

// Python's assertTimeout() without its upper bound: timing above is never asserted.
void ExpectTimeout(double actual, double expected) { EXPECT_GE(actual, expected * 0.6); }

// (wait() result, phase seen after it), as Python's results lists hold.
using Result = std::pair<bool, int>;

std::vector<Result> Repeat(Result r, int n) { return std::vector<Result>(n, r); }

std::vector<Result> Concat(std::vector<Result> a, const std::vector<Result>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// When an expectation fails half-way, workers may still sit in cond.wait(); wake them until
// they finish so that the Bunch can be joined instead of hanging.
class NotifyUntilFinished {
 public:
  NotifyUntilFinished(Condition& cond, Bunch& bunch, int n) : cond_(cond), bunch_(bunch), n_(n) {}
  ~NotifyUntilFinished() {
    WaitUntilTrue([this] {
      std::lock_guard guard(cond_);
      cond_.notify_all();
      return bunch_.finished() >= n_;
    });
  }

 private:
  Condition& cond_;
  Bunch& bunch_;
  const int n_;
};

TEST(ConditionTests, test_acquire) {
  Condition cond;
  // By default the lock is an RLock: the condition can be acquired several times.
  cond.acquire();
  cond.acquire();
  cond.release();
  cond.release();

  Lock lock;
  Condition cond2(lock);
  cond2.acquire();
  EXPECT_FALSE(lock.acquire(false));
  cond2.release();
  EXPECT_TRUE(lock.acquire(false));
  EXPECT_FALSE(cond2.acquire(false));
  lock.release();
  {
    std::lock_guard guard(cond2);
    EXPECT_FALSE(lock.acquire(false));
  }
  EXPECT_FALSE(lock.locked());
}

TEST(ConditionTests, test_unacquired_wait) {
  Condition cond;
  RACELENS_EXPECT_THROW_MESSAGE(cond.wait(), RuntimeError, "cannot wait on un-acquired lock");
}

TEST(ConditionTests, test_unacquired_notify) {
  Condition cond;
  RACELENS_EXPECT_THROW_MESSAGE(cond.notify(), RuntimeError, "cannot notify on un-acquired lock");
}

// Like Python, this relies on Condition having no spurious wakeups.
void CheckNotify(Condition& cond) {
  SharedList<int> ready;
  SharedList<Result> results1;
  SharedList<Result> results2;
  std::atomic<int> phase_num{0};
  auto f = [&] {
    cond.acquire();
    ready.append(phase_num.load());
    bool result = cond.wait();
    cond.release();
    results1.append({result, phase_num.load()});

    cond.acquire();
    ready.append(phase_num.load());
    result = cond.wait();
    cond.release();
    results2.append({result, phase_num.load()});
  };
  auto wait_for = [](const std::function<bool()>& done) { EXPECT_TRUE(WaitUntilTrue(done)); };

  constexpr int N = 5;
  Bunch bunch(FailOnThrow(f), N);
  NotifyUntilFinished cleanup(cond, bunch, N);
  // A worker appends to `ready` while holding the lock it releases only by waiting: once all
  // N appended, taking the lock proves that all N wait.
  wait_for([&] { return ready.size() >= N; });
  ready.clear();
  EXPECT_THAT(results1.items(), IsEmpty());

  // Notify 3 threads at first.
  constexpr int count1 = 3;
  cond.acquire();
  cond.notify(count1);
  // Phase 1.
  phase_num = 1;
  cond.release();
  wait_for([&] { return results1.size() >= count1; });
  EXPECT_EQ(results1.items(), Repeat({true, 1}, count1));
  EXPECT_THAT(results2.items(), IsEmpty());

  // Wait until the awoken workers are blocked in their second cond.wait().
  wait_for([&] { return ready.size() >= count1; });

  // Notify 5 threads: they are in their first or second wait.
  cond.acquire();
  cond.notify(5);
  // Phase 2.
  phase_num = 2;
  cond.release();
  wait_for([&] { return results1.size() + results2.size() >= N + count1; });
  constexpr int count2 = N - count1;
  EXPECT_EQ(results1.items(), Concat(Repeat({true, 1}, count1), Repeat({true, 2}, count2)));
  EXPECT_EQ(results2.items(), Repeat({true, 2}, count1));

  // Make sure all workers settle into their second cond.wait().
  wait_for([&] { return ready.size() >= N; });

  // Notify all threads: they are all in their second wait.
  cond.acquire();
  cond.notify_all();
  // Phase 3.
  phase_num = 3;
  cond.release();
  wait_for([&] { return results2.size() >= N; });
  EXPECT_EQ(results1.items(), Concat(Repeat({true, 1}, count1), Repeat({true, 2}, count2)));
  EXPECT_EQ(results2.items(), Concat(Repeat({true, 2}, count1), Repeat({true, 3}, count2)));
  EXPECT_TRUE(bunch.wait_for_finished());
}

TEST(ConditionTests, test_notify) {
  Condition cond;
  CheckNotify(cond);
  // A second time, to check that the internal state is still ok.
  CheckNotify(cond);
}

TEST(ConditionTests, test_timeout) {
  Condition cond;
  SharedList<std::pair<double, bool>> results;
  constexpr int N = 5;
  {
    Bunch bunch(FailOnThrow([&] {
                  cond.acquire();
                  const double t1 = racelens::monotonic();
                  const bool result = cond.wait(kTimeout);
                  const double t2 = racelens::monotonic();
                  cond.release();
                  results.append({t2 - t1, result});
                }),
                N);
    EXPECT_TRUE(bunch.wait_for_finished());
  }
  ASSERT_EQ(results.size(), static_cast<std::size_t>(N));
  for (const auto& [dt, result] : results.items()) {
    ExpectTimeout(dt, kTimeout);
    // A condition variable may wake up spuriously in general; this one must not.
    EXPECT_FALSE(result);
  }
}

TEST(ConditionTests, test_waitfor) {
  Condition cond;
  int state = 0;               // guarded by cond
  std::atomic<int> checks{0};  // predicate calls, each made holding cond
  auto f = [&] {
    std::lock_guard guard(cond);
    const bool result = cond.wait_for([&] {
      ++checks;
      return state == 4;
    });
    EXPECT_TRUE(result);
    EXPECT_EQ(state, 4);
  };
  Bunch bunch(FailOnThrow(f), 1);
  NotifyUntilFinished cleanup(cond, bunch, 1);
  for (int i = 0; i < 4; ++i) {
    // The waiter saw `state == i` and went back to waiting.
    EXPECT_TRUE(WaitUntilTrue([&] { return checks.load() >= i + 1; }));
    std::lock_guard guard(cond);
    state += 1;
    cond.notify();
  }
  EXPECT_TRUE(bunch.wait_for_finished());
}

TEST(ConditionTests, test_waitfor_timeout) {
  Condition cond;
  int state = 0;  // guarded by cond
  std::atomic<int> checks{0};
  std::atomic<bool> done{false};
  SharedList<double> success;
  auto f = [&] {
    std::lock_guard guard(cond);
    const double t1 = racelens::monotonic();
    const bool result = cond.wait_for(
        [&] {
          ++checks;
          return state == 4;
        },
        kTimeout);
    const double dt = racelens::monotonic() - t1;
    EXPECT_FALSE(result);
    ExpectTimeout(dt, kTimeout);
    success.append(dt);
    done = true;
  };
  {
    Bunch bunch(FailOnThrow(f), 1);
    // Only increment 3 times, so state == 4 is never reached. The waiter may time out before
    // all three; that is fine.
    for (int i = 0; i < 3; ++i) {
      WaitUntilTrue([&] { return checks.load() >= i + 1 || done.load(); });
      std::lock_guard guard(cond);
      state += 1;
      cond.notify();
    }
    EXPECT_TRUE(bunch.wait_for_finished());
  }
  EXPECT_EQ(success.size(), 1u);
}

}  // namespace
