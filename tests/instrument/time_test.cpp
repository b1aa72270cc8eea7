// The steady-clock seam (detail::SteadyNow, racelens/detail/deadline.hpp): deadlines, sleep and
// monotonic follow a clock installed in g_steady_now, as they will follow the controlled
// scheduler's virtual clock. The installed clock is a fake one that moves only when a test moves
// it, so nothing here waits for real time or asserts on it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>

#include "racelens/detail/deadline.hpp"
#include "racelens/time.hpp"

namespace racelens::detail {
namespace {

using std::chrono::seconds;
using TimePoint = std::chrono::steady_clock::time_point;

std::atomic<std::int64_t> g_fake_ns{0};
// Added to the fake clock after every read: a clock that runs while nothing waits.
std::atomic<std::int64_t> g_step_ns{0};

TimePoint FakeNow() noexcept {
  return TimePoint(std::chrono::nanoseconds(g_fake_ns.fetch_add(g_step_ns.load())));
}

// Installs the fake clock at `start` for the scope of a test.
class FakeSteadyClock {
 public:
  explicit FakeSteadyClock(std::chrono::nanoseconds start, std::chrono::nanoseconds step = {}) {
    g_fake_ns = start.count();
    g_step_ns = step.count();
    g_steady_now.store(&FakeNow);
  }
  ~FakeSteadyClock() { g_steady_now.store(nullptr); }
  FakeSteadyClock(const FakeSteadyClock&) = delete;
  FakeSteadyClock& operator=(const FakeSteadyClock&) = delete;

  void Advance(std::chrono::nanoseconds by) { g_fake_ns += by.count(); }
};

TEST(SteadyNowTest, ReadsTheSteadyClockWhenNothingIsInstalled) {
  ASSERT_EQ(g_steady_now.load(), nullptr);
  const TimePoint before = std::chrono::steady_clock::now();
  EXPECT_GE(SteadyNow(), before);
}

TEST(SteadyNowTest, ReadsTheInstalledClock) {
  {
    FakeSteadyClock clock(seconds(1000));
    EXPECT_EQ(SteadyNow(), TimePoint(seconds(1000)));
    clock.Advance(seconds(5));
    EXPECT_EQ(SteadyNow(), TimePoint(seconds(1005)));
  }
  const TimePoint before = std::chrono::steady_clock::now();
  EXPECT_GE(SteadyNow(), before);  // the real clock again
}

TEST(SteadyNowTest, DeadlineExpiresWhenTheInstalledClockPassesIt) {
  FakeSteadyClock clock(seconds(1000));
  const Deadline deadline = Deadline::After(5);
  EXPECT_EQ(deadline.when(), TimePoint(seconds(1005)));
  EXPECT_FALSE(deadline.expired());
  clock.Advance(std::chrono::milliseconds(4900));
  EXPECT_FALSE(deadline.expired());
  EXPECT_EQ(deadline.left(), std::chrono::milliseconds(100));
  clock.Advance(std::chrono::milliseconds(100));
  EXPECT_TRUE(deadline.expired());
  EXPECT_EQ(deadline.left(), deadline.left().zero());
  clock.Advance(seconds(1));
  EXPECT_LT(deadline.left(), deadline.left().zero());
}

TEST(SteadyNowTest, NoDeadlineNeverExpires) {
  FakeSteadyClock clock(seconds(1000));
  const Deadline deadline = Deadline::After(-1);
  clock.Advance(seconds(1'000'000'000));
  EXPECT_TRUE(deadline.never());
  EXPECT_FALSE(deadline.expired());
}

TEST(SteadyNowTest, MonotonicFollowsTheInstalledClock) {
  FakeSteadyClock clock(seconds(1000));
  EXPECT_DOUBLE_EQ(monotonic(), 1000.0);
  clock.Advance(std::chrono::milliseconds(3600500));
  EXPECT_DOUBLE_EQ(monotonic(), 4600.5);
}

// A clock that jumps 2'000'000 s at every read: a sleep of 1'000'000 s (eleven days) is over by
// the time sleep() reads the clock again. Were sleep to wait on the real clock, this test would
// hang until ctest's timeout.
TEST(SteadyNowTest, SleepEndsWhenTheInstalledClockPassesItsEnd) {
  FakeSteadyClock clock(seconds(1000), seconds(2'000'000));
  racelens::sleep(1'000'000);
  EXPECT_GE(SteadyNow(), TimePoint(seconds(1000 + 1'000'000)));
}

}  // namespace
}  // namespace racelens::detail
