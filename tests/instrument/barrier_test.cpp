// Port of CPython's Lib/test/lock_tests.py: BarrierTests (racelens::Barrier).
//
// Not ported:
//   BarrierTests.test_repr   no repr() in C++
//
// Python's test_timeout makes one thread sleep so that the others' wait(timeout) expires; here
// that thread instead waits until the barrier is broken, which the others' timeout causes. The
// fixture's default timeout is longer than Python's 2 s: it only keeps a broken implementation
// from hanging the test, and a loaded machine must not trip it.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <numeric>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "racelens/threading.hpp"
#include "support/bunch.hpp"

namespace {

using racelens::Barrier;
using racelens::BrokenBarrierError;
using racelens::RuntimeError;
using racelens::ValueError;
using racelens::testing::Bunch;
using racelens::testing::FailOnThrow;
using racelens::testing::SharedList;
using racelens::testing::WaitUntilTrue;

class BarrierTests : public ::testing::Test {
 protected:
  static constexpr int N = 5;
  static constexpr double kDefaultTimeout = 10.0;

  void TearDown() override { barrier.abort(); }

  // Runs `f` on N threads and waits for them all.
  void run_threads(std::function<void()> f) {
    Bunch bunch(FailOnThrow(std::move(f)), N);
    EXPECT_TRUE(bunch.wait_for_finished());
  }

  // `results0` and `results1` count the arrivals before the first and the second wait of
  // each pass: Python's results[0] and results[1].
  void multipass(std::atomic<int>& results0, std::atomic<int>& results1, int n) {
    const std::ptrdiff_t m = barrier.parties();
    EXPECT_EQ(m, N);
    for (int i = 0; i < n; ++i) {
      ++results0;
      EXPECT_EQ(results1.load(), i * m);
      barrier.wait();
      ++results1;
      EXPECT_EQ(results0.load(), (i + 1) * m);
      barrier.wait();
    }
    EXPECT_EQ(barrier.n_waiting(), 0);
    EXPECT_FALSE(barrier.broken());
  }

  // Python's test_barrier(passes).
  void check_barrier(int passes) {
    std::atomic<int> results0{0};
    std::atomic<int> results1{0};
    run_threads([&] { multipass(results0, results1, passes); });
  }

  Barrier barrier{N, {}, kDefaultTimeout};
};

TEST_F(BarrierTests, test_constructor) {
  constexpr const char* message = "parties must be >= 1";
  RACELENS_EXPECT_THROW_MESSAGE(Barrier b(0), ValueError, message);
  RACELENS_EXPECT_THROW_MESSAGE(Barrier b(-1), ValueError, message);
}

TEST_F(BarrierTests, test_barrier) {
  // The barrier is passed in lockstep.
  check_barrier(1);
}

TEST_F(BarrierTests, test_barrier_10) {
  // The barrier works for 10 consecutive runs.
  check_barrier(10);
}

TEST_F(BarrierTests, test_wait_return) {
  SharedList<std::ptrdiff_t> results;
  run_threads([&] { results.append(barrier.wait()); });
  std::vector<std::ptrdiff_t> indices = results.items();
  EXPECT_EQ(std::accumulate(indices.begin(), indices.end(), std::ptrdiff_t{0}), N * (N - 1) / 2);
  // Stronger than Python's sum: each arrival index 0..N-1 once.
  std::sort(indices.begin(), indices.end());
  std::vector<std::ptrdiff_t> expected(N);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(indices, expected);
}

TEST_F(BarrierTests, test_action) {
  std::atomic<int> results{0};
  Barrier action_barrier(N, [&] { ++results; });
  run_threads([&] {
    action_barrier.wait();
    EXPECT_EQ(results.load(), 1);
  });
}

TEST_F(BarrierTests, test_abort) {
  // An abort puts the barrier in a broken state.
  std::atomic<int> results1{0};
  std::atomic<int> results2{0};
  run_threads([&] {
    try {
      const std::ptrdiff_t i = barrier.wait();
      if (i == N / 2) throw RuntimeError("");
      barrier.wait();
      ++results1;
    } catch (const BrokenBarrierError&) {
      ++results2;
    } catch (const RuntimeError&) {
      barrier.abort();
    }
  });
  EXPECT_EQ(results1.load(), 0);
  EXPECT_EQ(results2.load(), N - 1);
  EXPECT_TRUE(barrier.broken());
}

TEST_F(BarrierTests, test_reset) {
  // A reset() frees the waiting threads.
  std::atomic<int> results1{0};
  std::atomic<int> results2{0};
  std::atomic<int> results3{0};
  run_threads([&] {
    const std::ptrdiff_t i = barrier.wait();
    if (i == N / 2) {
      // Wait until the other threads are all in the barrier.
      EXPECT_TRUE(WaitUntilTrue([&] { return barrier.n_waiting() >= N - 1; }));
      barrier.reset();
    } else {
      try {
        barrier.wait();
        ++results1;
      } catch (const BrokenBarrierError&) {
        ++results2;
      }
    }
    // Now, pass the barrier again.
    barrier.wait();
    ++results3;
  });
  EXPECT_EQ(results1.load(), 0);
  EXPECT_EQ(results2.load(), N - 1);
  EXPECT_EQ(results3.load(), N);
}

TEST_F(BarrierTests, test_abort_and_reset) {
  // A barrier can be reset after being broken.
  std::atomic<int> results1{0};
  std::atomic<int> results2{0};
  std::atomic<int> results3{0};
  Barrier barrier2(N);
  run_threads([&] {
    try {
      const std::ptrdiff_t i = barrier.wait();
      if (i == N / 2) throw RuntimeError("");
      barrier.wait();
      ++results1;
    } catch (const BrokenBarrierError&) {
      ++results2;
    } catch (const RuntimeError&) {
      barrier.abort();
    }
    // Synchronize and reset the barrier. Synchronize first so that everyone has left it when
    // it is reset, and after so that no one enters it before the reset.
    if (barrier2.wait() == N / 2) barrier.reset();
    barrier2.wait();
    barrier.wait();
    ++results3;
  });
  EXPECT_EQ(results1.load(), 0);
  EXPECT_EQ(results2.load(), N - 1);
  EXPECT_EQ(results3.load(), N);
}

TEST_F(BarrierTests, test_timeout) {
  // wait(timeout): with one thread late, the others' timeout breaks the barrier for all.
  constexpr double kTimeout = 0.1;
  run_threads([&] {
    const std::ptrdiff_t i = barrier.wait();
    if (i == N / 2) {
      // One thread is late: it arrives only after the others timed out.
      EXPECT_TRUE(WaitUntilTrue([&] { return barrier.broken(); }));
    }
    // Shorter than the barrier's default timeout.
    EXPECT_THROW(barrier.wait(kTimeout), BrokenBarrierError);
  });
}

TEST_F(BarrierTests, test_default_timeout) {
  // The barrier's default timeout applies to wait() without an argument.
  constexpr double timeout = 0.1;
  Barrier short_barrier(2, {}, timeout);
  const double start_time = racelens::monotonic();
  {
    Bunch bunch(FailOnThrow([&] { EXPECT_THROW(short_barrier.wait(), BrokenBarrierError); }), 1);
    EXPECT_TRUE(bunch.wait_for_finished());
  }
  const double dt = racelens::monotonic() - start_time;
  EXPECT_GE(dt, timeout);
}

TEST_F(BarrierTests, test_single_thread) {
  Barrier b(1);
  b.wait();
  b.wait();
}

}  // namespace
