// Port of CPython's Lib/test/lock_tests.py: EventTests (racelens::Event).
//
// Not ported:
//   EventTests.test_at_fork_reinit   racelens has no _at_fork_reinit() and no exposed _cond
//   EventTests.test_repr             no repr() in C++
//
// Where Python sleeps so that waiters are blocked before the event is set
// (wait_threads_blocked()), these tests wait until the runtime reports them blocked.
// Timeouts are shorter than Python's; elapsed times are only checked from below, with
// Python's assertTimeout() tolerance.

#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "racelens/threading.hpp"
#include "support/bunch.hpp"

namespace {

using racelens::Event;
using racelens::testing::BlockedThreads;
using racelens::testing::Bunch;
using racelens::testing::FailOnThrow;
using racelens::testing::SharedList;
using ::testing::Each;
using ::testing::Eq;
using ::testing::SizeIs;

constexpr double kTimeout = 0.1;
// Python uses LONG_TIMEOUT. A waiter woken by set() must return true even when it gets to run
// only after this expired, so it can be short: it only bounds how long a wrong wait() blocks.
constexpr double kLongTimeout = 1.0;

// Python's assertTimeout() without its upper bound: timing above is never asserted.
void ExpectTimeout(double actual, double expected) { EXPECT_GE(actual, expected * 0.6); }

TEST(EventTests, test_is_set) {
  Event evt;
  EXPECT_FALSE(evt.is_set());
  evt.set();
  EXPECT_TRUE(evt.is_set());
  evt.set();
  EXPECT_TRUE(evt.is_set());
  evt.clear();
  EXPECT_FALSE(evt.is_set());
  evt.clear();
  EXPECT_FALSE(evt.is_set());
}

// All threads get notified.
void CheckNotify(Event& evt) {
  constexpr int N = 5;
  SharedList<bool> results1;
  SharedList<bool> results2;
  BlockedThreads blocked(&evt);
  {
    Bunch bunch(FailOnThrow([&] {
                  results1.append(evt.wait());
                  results2.append(evt.wait());
                }),
                N);
    // Threads blocked on their first evt.wait().
    EXPECT_TRUE(blocked.wait_for(N));
    EXPECT_EQ(results1.size(), 0u);

    evt.set();
    EXPECT_TRUE(bunch.wait_for_finished());
  }
  EXPECT_THAT(results1.items(), SizeIs(N));
  EXPECT_THAT(results1.items(), Each(Eq(true)));
  EXPECT_THAT(results2.items(), SizeIs(N));
  EXPECT_THAT(results2.items(), Each(Eq(true)));
}

TEST(EventTests, test_notify) {
  Event evt;
  CheckNotify(evt);
  // Another time, after an explicit clear().
  evt.set();
  evt.clear();
  CheckNotify(evt);
}

TEST(EventTests, test_timeout) {
  Event evt;
  constexpr int N = 5;
  SharedList<bool> results1;
  SharedList<std::pair<bool, double>> results2;
  auto f = [&] {
    results1.append(evt.wait(0.0));
    const double t1 = racelens::monotonic();
    const bool r = evt.wait(kTimeout);
    results2.append({r, racelens::monotonic() - t1});
  };
  {
    Bunch bunch(FailOnThrow(f), N);
    EXPECT_TRUE(bunch.wait_for_finished());
  }
  EXPECT_THAT(results1.items(), SizeIs(N));
  EXPECT_THAT(results1.items(), Each(Eq(false)));
  ASSERT_THAT(results2.items(), SizeIs(N));
  for (const auto& [r, dt] : results2.items()) {
    EXPECT_FALSE(r);
    ExpectTimeout(dt, kTimeout);
  }

  // The event is set.
  results1.clear();
  results2.clear();
  evt.set();
  {
    Bunch bunch(FailOnThrow(f), N);
    EXPECT_TRUE(bunch.wait_for_finished());
  }
  EXPECT_THAT(results1.items(), SizeIs(N));
  EXPECT_THAT(results1.items(), Each(Eq(true)));
  ASSERT_THAT(results2.items(), SizeIs(N));
  for (const auto& [r, dt] : results2.items()) EXPECT_TRUE(r);
}

TEST(EventTests, test_set_and_clear) {
  // CPython gh-57711 (issue #13502): wait() returns true even when the event is cleared before
  // the waiting thread is woken up.
  Event event;
  SharedList<bool> results;
  constexpr int N = 5;
  BlockedThreads blocked(&event);
  {
    Bunch bunch(FailOnThrow([&] { results.append(event.wait(kLongTimeout)); }), N);
    // Threads blocked on event.wait().
    EXPECT_TRUE(blocked.wait_for(N));

    event.set();
    event.clear();
    EXPECT_TRUE(bunch.wait_for_finished());
  }
  EXPECT_THAT(results.items(), SizeIs(N));
  EXPECT_THAT(results.items(), Each(Eq(true)));
}

}  // namespace
