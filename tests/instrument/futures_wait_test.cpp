// tests/instrument/futures_wait_test.cpp — a port of CPython's test_concurrent_futures/
// test_wait.py (ThreadPoolWaitTests) and test_as_completed.py (ThreadPoolAsCompletedTests).
//
// Each TEST is named after the Python method it ports. The fixture has CPython's
// ThreadPoolMixin executor (worker_count = 5); Python's module-level futures come from
// tests/support/futures.hpp. All futures of one call share a type, so tasks return int.
//
// Differences from Python:
//   - test_future_times_out and test_duplicate_futures submit time.sleep(...); here the task
//     waits on an Event set after the check.
//   - test_free_reference_yielded_future uses weakrefs on the yielded futures; here a weak_ptr
//     to the future's state must expire once the test dropped its handles and the iterator moved
//     past it.
//   - test_pending_calls_race lowers sys.setswitchinterval; there is no GIL to tune.
//
// Added: the completion of every future wait()/as_completed() hands out happens before the
// hand-off (the detector's acquire events).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <stdexcept>
#include <vector>

#include "racelens/futures.hpp"
#include "racelens/threading.hpp"
#include "support/bunch.hpp"
#include "support/futures.hpp"
#include "support/recording_listener.hpp"

namespace racelens {
namespace {

using testing::CreateFuture;
using testing::StateFutures;
using FutureSet = std::set<Future<int>>;

int mul(int x, int y) { return x * y; }

int divmod_zero(int) { throw std::domain_error("integer division or modulo by zero"); }

class WaitTest : public ::testing::Test {
 protected:
  static constexpr int worker_count = 5;
  void TearDown() override { executor.shutdown(true); }
  ThreadPoolExecutor executor{worker_count};
  StateFutures s;
};

// test_20369
TEST_F(WaitTest, Test20369) {
  Future<int> future = executor.submit(mul, 1, 2);
  auto [done, not_done] = wait({future, future}, -1, ALL_COMPLETED);
  EXPECT_EQ(FutureSet{future}, done);
  EXPECT_EQ(FutureSet{}, not_done);
}

// test_first_completed
TEST_F(WaitTest, FirstCompleted) {
  Event event;
  Future<int> future1 = executor.submit(mul, 21, 2);
  Future<int> future2 = executor.submit([&] { return event.wait() ? 1 : 0; });
  auto [done, not_done] = wait({s.cancelled, future1, future2}, -1, FIRST_COMPLETED);
  EXPECT_EQ(FutureSet{future1}, done);
  EXPECT_EQ((FutureSet{s.cancelled, future2}), not_done);
  event.set();
  future2.result();  // wait for job to finish
}

// test_first_completed_some_already_completed
TEST_F(WaitTest, FirstCompletedSomeAlreadyCompleted) {
  Event event;
  Future<int> future1 = executor.submit([&] { return event.wait() ? 1 : 0; });
  auto [finished, pending] =
      wait({s.cancelled_and_notified, s.successful, future1}, -1, FIRST_COMPLETED);
  EXPECT_EQ((FutureSet{s.cancelled_and_notified, s.successful}), finished);
  EXPECT_EQ(FutureSet{future1}, pending);
  event.set();
  future1.result();
}

// test_first_exception
TEST_F(WaitTest, FirstException) {
  Event event1;
  Event event2;
  Future<int> future1 = executor.submit(mul, 2, 21);
  Future<int> future2 = executor.submit([&]() -> int {
    event1.wait();
    throw std::runtime_error("this is an exception");
  });
  Future<int> future3 = executor.submit([&] { return event2.wait() ? 1 : 0; });
  // Ensure that future1 is completed before future2 finishes
  Thread t([&] {
    future1.result();
    event1.set();
  });
  t.start();
  auto [finished, pending] = wait({future1, future2, future3}, -1, FIRST_EXCEPTION);
  EXPECT_EQ((FutureSet{future1, future2}), finished);
  EXPECT_EQ(FutureSet{future3}, pending);
  t.join();
  event2.set();
  future3.result();
}

// test_first_exception_some_already_complete
TEST_F(WaitTest, FirstExceptionSomeAlreadyComplete) {
  Event event;
  Future<int> future1 = executor.submit(divmod_zero, 21);
  Future<int> future2 = executor.submit([&] { return event.wait() ? 1 : 0; });
  auto [finished, pending] = wait(
      {s.successful, s.cancelled, s.cancelled_and_notified, future1, future2}, -1, FIRST_EXCEPTION);
  EXPECT_EQ((FutureSet{s.successful, s.cancelled_and_notified, future1}), finished);
  EXPECT_EQ((FutureSet{s.cancelled, future2}), pending);
  event.set();
  future2.result();
}

// test_first_exception_one_already_failed
TEST_F(WaitTest, FirstExceptionOneAlreadyFailed) {
  Event event;
  Future<int> future1 = executor.submit([&] { return event.wait() ? 1 : 0; });
  auto [finished, pending] = wait({s.exception, future1}, -1, FIRST_EXCEPTION);
  EXPECT_EQ(FutureSet{s.exception}, finished);
  EXPECT_EQ(FutureSet{future1}, pending);
  event.set();
  future1.result();
}

// test_all_completed
TEST_F(WaitTest, AllCompleted) {
  Future<int> future1 = executor.submit(divmod_zero, 2);
  Future<int> future2 = executor.submit(mul, 2, 21);
  auto [finished, pending] = wait(
      {s.successful, s.cancelled_and_notified, s.exception, future1, future2}, -1, ALL_COMPLETED);
  EXPECT_EQ((FutureSet{s.successful, s.cancelled_and_notified, s.exception, future1, future2}),
            finished);
  EXPECT_EQ(FutureSet{}, pending);
}

// test_timeout
TEST_F(WaitTest, Timeout) {
  const double short_timeout = 0.050;
  Event event;
  Future<int> future = executor.submit([&] { return event.wait() ? 1 : 0; });
  auto [finished, pending] = wait({s.cancelled_and_notified, s.exception, s.successful, future},
                                  short_timeout, ALL_COMPLETED);
  EXPECT_EQ((FutureSet{s.cancelled_and_notified, s.exception, s.successful}), finished);
  EXPECT_EQ(FutureSet{future}, pending);
  event.set();
  future.result();
}

// test_pending_calls_race
TEST_F(WaitTest, PendingCallsRace) {
  Event event;
  std::vector<Future<int>> fs;
  for (int i = 0; i < 100; ++i) fs.push_back(executor.submit([&] { return event.wait() ? 1 : 0; }));
  event.set();
  auto [done, not_done] = wait(fs, -1, ALL_COMPLETED);
  EXPECT_EQ(done.size(), 100u);
  EXPECT_TRUE(not_done.empty());
}

// --- AsCompletedTests (test_as_completed.py) ---------------------------------

using AsCompletedTest = WaitTest;

// test_no_timeout
TEST_F(AsCompletedTest, NoTimeout) {
  Future<int> future1 = executor.submit(mul, 2, 21);
  Future<int> future2 = executor.submit(mul, 7, 6);
  FutureSet completed;
  for (const Future<int>& f :
       as_completed({s.cancelled_and_notified, s.exception, s.successful, future1, future2})) {
    completed.insert(f);
  }
  EXPECT_EQ((FutureSet{s.cancelled_and_notified, s.exception, s.successful, future1, future2}),
            completed);
}

// test_future_times_out
TEST_F(AsCompletedTest, FutureTimesOut) {
  const FutureSet already_completed{s.cancelled_and_notified, s.exception, s.successful};
  const double short_timeout = 0.100;
  for (double timeout : {0.0, short_timeout}) {
    SCOPED_TRACE(timeout);
    FutureSet completed_futures;
    Event release;
    Future<int> future = executor.submit([&] { return release.wait() ? 1 : 0; });
    std::vector<Future<int>> fs(already_completed.begin(), already_completed.end());
    fs.push_back(future);
    try {
      for (const Future<int>& f : as_completed(fs, timeout)) completed_futures.insert(f);
      ADD_FAILURE() << "expected TimeoutError";
    } catch (const TimeoutError&) {
    }
    // Check that ``future`` wasn't completed.
    EXPECT_EQ(completed_futures, already_completed);
    release.set();
    future.result();
  }
}

// test_duplicate_futures
TEST_F(AsCompletedTest, DuplicateFutures) {
  // Duplicate futures should not raise exceptions or give duplicate responses.
  Event release;
  Future<int> future1 = executor.submit([&] { return release.wait() ? 1 : 0; });
  release.set();
  std::vector<Future<int>> completed;
  for (const Future<int>& f : as_completed(std::vector<Future<int>>(3, future1))) {
    completed.push_back(f);
  }
  EXPECT_EQ(completed.size(), 1u);
}

// test_free_reference_yielded_future
TEST_F(AsCompletedTest, FreeReferenceYieldedFuture) {
  // The generator should not keep references to finished futures.
  std::vector<Future<int>> futures_list(8);
  futures_list.push_back(CreateFuture(FutureState::CANCELLED_AND_NOTIFIED));
  futures_list.push_back(CreateFuture(FutureState::FINISHED, nullptr, 42));

  // Drops every handle of the future `it` points at, then advances: the range must not keep
  // the future alive.
  const auto remove_and_advance = [&](auto& it) {
    Future<int> future = *it;
    std::weak_ptr<void> wr = future.cell();
    futures_list.erase(std::find(futures_list.begin(), futures_list.end(), future));
    future = Future<int>(nullptr);
    if (!futures_list.empty() && futures_list[0].state() == FutureState::PENDING) {
      futures_list[0].set_result(0);
    }
    ++it;
    EXPECT_TRUE(wr.expired());
  };
  EXPECT_THROW(
      {
        auto completed = as_completed(futures_list, 0);
        for (auto it = completed.begin(); it != completed.end();) {
          Future<int> future = *it;
          std::weak_ptr<void> wr = future.cell();
          futures_list.erase(std::find(futures_list.begin(), futures_list.end(), future));
          future = Future<int>(nullptr);
          ++it;
          EXPECT_TRUE(wr.expired());
        }
      },
      TimeoutError);
  ASSERT_EQ(futures_list.size(), 8u);

  futures_list[0].set_result(0);
  auto completed = as_completed(futures_list);
  for (auto it = completed.begin(); it != completed.end();) remove_and_advance(it);
  EXPECT_TRUE(futures_list.empty());
}

// test_correct_timeout_exception_msg
TEST_F(AsCompletedTest, CorrectTimeoutExceptionMsg) {
  std::vector<Future<int>> futures_list = {s.cancelled_and_notified, s.pending, s.running,
                                           s.successful};
  RACELENS_EXPECT_THROW_MESSAGE(
      {
        auto completed = as_completed(futures_list, 0);
        std::vector<Future<int>> all(completed.begin(), completed.end());
      },
      TimeoutError, "2 (of 4) futures unfinished");
}

// --- happens-before of the hand-off -------------------------------------------

class FuturesWaitHooksTest : public WaitTest {
 protected:
  void SetUp() override { detail::ListenerRegistry::Instance().Add(&recorder_); }
  void TearDown() override {
    WaitTest::TearDown();
    detail::ListenerRegistry::Instance().Remove(&recorder_);
  }
  testing::RecordingListener recorder_;
};

TEST_F(FuturesWaitHooksTest, WaitAndAsCompletedAcquireEveryDoneFuture) {
  Future<int> a = executor.submit(mul, 1, 1);
  Future<int> b = executor.submit(mul, 2, 2);
  auto [done, not_done] = wait({a, b});
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(recorder_.Count("QueueGet", a.cell().get()), 1);
  EXPECT_EQ(recorder_.Count("QueueGet", b.cell().get()), 1);
  for (const Future<int>& f : as_completed({a, b})) (void)f;
  EXPECT_EQ(recorder_.Count("QueueGet", a.cell().get()), 2);
  EXPECT_EQ(recorder_.Count("QueueGet", b.cell().get()), 2);
}

}  // namespace
}  // namespace racelens
