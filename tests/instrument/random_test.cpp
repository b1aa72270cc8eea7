// racelens::random(), randint(), uniform() (racelens/random.hpp) and the stream behind them
// (primitives/random_stream.hpp): per-thread streams fixed by (seed, thread id), ranges, and the
// `seed` option end to end (this binary re-runs itself with RACELENS_OPTIONS=seed=N).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "primitives/random_stream.hpp"
#include "racelens/errors.hpp"
#include "racelens/random.hpp"
#include "racelens/thread.hpp"
#include "runtime/runtime.hpp"
#include "runtime/thread_registry.hpp"
#include "support/child_run.hpp"

namespace racelens::detail {
namespace {

using ::racelens::testing::ChildRun;
using ::racelens::testing::RunChild;
using ::testing::HasSubstr;

std::vector<std::uint64_t> Draws(RandomStream stream, int n) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(stream.Next());
  return out;
}

// Runs `body` on a new racelens thread, which starts a stream of its own.
template <class F>
void OnNewThread(F body) {
  racelens::Thread thread(body);
  thread.start();
  thread.join();
}

int CurrentId() { return ThreadRegistry::Instance().Current().id; }

// Known answers, computed with an independent Python implementation of SplitMix64: the numbers
// stay the same across compilers and standard libraries.
TEST(RandomStreamTest, KnownAnswers) {
  EXPECT_THAT(
      Draws(RandomStream(42, 1), 3),
      ::testing::ElementsAre(0x33aa906d7b87bf0eULL, 0xdf307a5b580bbdc1ULL, 0x90b9d87798187a7eULL));
  EXPECT_THAT(
      Draws(RandomStream(0, 0), 3),
      ::testing::ElementsAre(0x568a9b0b1a2c05ecULL, 0x44e5b8b147ef718bULL, 0x458563ab55521133ULL));
}

TEST(RandomStreamTest, SameSeedAndThreadGiveTheSameSequence) {
  EXPECT_EQ(Draws(RandomStream(7, 3), 100), Draws(RandomStream(7, 3), 100));
}

TEST(RandomStreamTest, OtherThreadsAndSeedsGiveOtherSequences) {
  const std::vector<std::uint64_t> base = Draws(RandomStream(7, 3), 100);
  EXPECT_NE(Draws(RandomStream(7, 4), 100), base);
  EXPECT_NE(Draws(RandomStream(8, 3), 100), base);
  // No draw of one thread's stream shows up in another's.
  std::set<std::uint64_t> seen(base.begin(), base.end());
  for (std::uint64_t thread = 0; thread < 16; ++thread) {
    if (thread == 3) continue;
    for (std::uint64_t x : Draws(RandomStream(7, thread), 100)) EXPECT_FALSE(seen.contains(x));
  }
}

TEST(RandomStreamTest, BelowStaysBelowItsBoundAndReachesEveryValue) {
  RandomStream stream(1, 0);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t x = stream.Below(6);
    ASSERT_LT(x, 6U);
    seen.insert(x);
  }
  EXPECT_EQ(seen.size(), 6U);
  EXPECT_EQ(stream.Below(1), 0U);
  const std::uint64_t odd_bound = (std::uint64_t{1} << 63) + 1;  // most draws are rejected once
  for (int i = 0; i < 100; ++i) ASSERT_LT(stream.Below(odd_bound), odd_bound);
}

TEST(RandomStreamTest, UnitDoubleIsInTheHalfOpenUnitInterval) {
  RandomStream stream(2, 0);
  for (int i = 0; i < 1000; ++i) {
    const double x = stream.UnitDouble();
    ASSERT_GE(x, 0.0);
    ASSERT_LT(x, 1.0);
  }
}

// racelens::random() on a thread draws that thread's stream: (the run's seed, its id).
TEST(RandomTest, EachThreadDrawsTheStreamOfItsSeedAndId) {
  std::vector<double> drawn;
  std::vector<double> expected;
  std::vector<int> ids;
  for (int t = 0; t < 2; ++t) {
    OnNewThread([&] {
      RandomStream stream(RandomSeed(), static_cast<std::uint64_t>(CurrentId()));
      for (int i = 0; i < 5; ++i) {
        drawn.push_back(racelens::random());
        expected.push_back(stream.UnitDouble());
      }
      ids.push_back(CurrentId());
    });
  }
  EXPECT_EQ(drawn, expected);
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_NE(std::vector<double>(drawn.begin(), drawn.begin() + 5),
            std::vector<double>(drawn.begin() + 5, drawn.end()));
}

TEST(RandomTest, RandintIncludesBothBounds) {
  OnNewThread([] {
    std::set<std::int64_t> seen;
    for (int i = 0; i < 1000; ++i) {
      const std::int64_t x = racelens::randint(10, 13);
      ASSERT_GE(x, 10);
      ASSERT_LE(x, 13);
      seen.insert(x);
    }
    EXPECT_EQ(seen, (std::set<std::int64_t>{10, 11, 12, 13}));
    EXPECT_EQ(racelens::randint(-5, -5), -5);
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    for (int i = 0; i < 100; ++i) {
      const std::int64_t x = racelens::randint(kMin, kMax);  // the whole range: no bound to miss
      ASSERT_GE(x, kMin);
    }
    for (int i = 0; i < 100; ++i) ASSERT_LE(racelens::randint(kMax - 1, kMax), kMax);
  });
}

TEST(RandomTest, RandintReturnsTheTypeOfItsBoundsAndCoversNarrowTypes) {
  static_assert(std::is_same_v<decltype(racelens::randint(1, 2)), int>);
  static_assert(std::is_same_v<decltype(racelens::randint(1ULL, 2ULL)), unsigned long long>);
  OnNewThread([] {
    std::set<int> seen;
    for (int i = 0; i < 5000; ++i)
      seen.insert(racelens::randint(std::int8_t{-128}, std::int8_t{127}));
    EXPECT_EQ(seen.size(), 256U);
    EXPECT_EQ(*seen.begin(), -128);
    EXPECT_EQ(*seen.rbegin(), 127);
    for (int i = 0; i < 100; ++i) {
      const std::uint16_t x = racelens::randint(std::uint16_t{65534}, std::uint16_t{65535});
      ASSERT_GE(x, 65534);
    }
  });
}

TEST(RandomTest, RandintOfAnEmptyRangeIsAValueError) {
  try {
    racelens::randint(10, 5);
    ADD_FAILURE() << "randint(10, 5) did not throw";
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "empty range in randrange(10, 6)");
  }
}

TEST(RandomTest, UniformStaysBetweenItsEnds) {
  OnNewThread([] {
    for (int i = 0; i < 1000; ++i) {
      const double x = racelens::uniform(2.0, 5.0);
      ASSERT_GE(x, 2.0);
      ASSERT_LE(x, 5.0);
      const double y = racelens::uniform(5.0, 2.0);  // Python allows b < a
      ASSERT_GE(y, 2.0);
      ASSERT_LE(y, 5.0);
    }
    EXPECT_EQ(racelens::uniform(3.0, 3.0), 3.0);
  });
}

TEST(RandomTest, RandomIsInTheHalfOpenUnitInterval) {
  OnNewThread([] {
    for (int i = 0; i < 1000; ++i) {
      const double x = racelens::random();
      ASSERT_GE(x, 0.0);
      ASSERT_LT(x, 1.0);
    }
  });
}

// ---- the seed option, end to end --------------------------------------------

// Run by SeedOptionTest only: prints the seed and what the main thread and two new threads draw.
TEST(RandomChild, DISABLED_PrintDraws) {
  std::printf("R seed %llu\n", static_cast<unsigned long long>(RandomSeed()));
  std::printf("R main %lld %.17g\n", static_cast<long long>(racelens::randint(0, 1000000)),
              racelens::random());
  for (int t = 0; t < 2; ++t) {
    OnNewThread([] {
      std::printf("R T%d %lld %.17g\n", CurrentId(),
                  static_cast<long long>(racelens::randint(0, 1000000)), racelens::uniform(0, 9));
    });
  }
}

// The draws of a child run of this binary with RACELENS_OPTIONS=options.
ChildRun ChildDraws(const std::string& options) {
  return RunChild(options, "RandomChild.DISABLED_PrintDraws");
}

TEST(SeedOptionTest, TheSameSeedDrawsTheSameNumbersInEveryThread) {
  const ChildRun first = ChildDraws("exitcode=0:seed=42");
  const ChildRun second = ChildDraws("exitcode=0:seed=42");
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_THAT(first.output, HasSubstr("R seed 42\n"));
  EXPECT_THAT(first.output, HasSubstr("\nR T1 "));
  EXPECT_THAT(first.output, HasSubstr("\nR T2 "));
  EXPECT_EQ(first.output, second.output);
}

TEST(SeedOptionTest, AnotherSeedDrawsOtherNumbers) {
  const ChildRun a = ChildDraws("exitcode=0:seed=1");
  const ChildRun b = ChildDraws("exitcode=0:seed=2");
  ASSERT_EQ(a.status, 0) << a.output;
  ASSERT_EQ(b.status, 0) << b.output;
  EXPECT_NE(a.output.substr(a.output.find('\n')), b.output.substr(b.output.find('\n')));
}

TEST(SeedOptionTest, WithoutASeedOneIsDrawnAndRecorded) {
  const ChildRun run = ChildDraws("exitcode=0");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_TRUE(run.output.starts_with("R seed ")) << run.output;
}

TEST(SeedOptionTest, ABadSeedStopsTheProgramAtStartUp) {
  const ChildRun run = ChildDraws("seed=-3");
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.output,
            "racelens: option 'seed' must be an integer from 0 to 18446744073709551615, not '-3'; "
            "fix RACELENS_OPTIONS.\n");
}

}  // namespace
}  // namespace racelens::detail
