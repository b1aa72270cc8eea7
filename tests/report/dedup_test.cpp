// Deduplication keys and the thread-safe first-seen filter.
#include "report/dedup.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "report/report_samples.hpp"

namespace racelens::report {
namespace {

TEST(DedupTest, KeyIsKindAndSortedSites) {
  EXPECT_EQ(DedupKey(samples::DataRace()),
            "data-race|samples/nolock_counter.cpp:16|samples/nolock_counter.cpp:18");
  EXPECT_EQ(DedupKey(samples::EventRace()),
            "event-race|samples/event_consumer.cpp:14|samples/event_consumer.cpp:8");
  EXPECT_EQ(DedupKey(samples::Misuse()), "misuse|samples/release_twice.cpp:9");
}

TEST(DedupTest, LockOrderEdgesAreOuterThenInner) {
  EXPECT_EQ(DedupKey(samples::LockOrderInversion()),
            "lock-order-inversion|samples/ab_ba.cpp:11>samples/ab_ba.cpp:12|"
            "samples/ab_ba.cpp:17>samples/ab_ba.cpp:18");
}

TEST(DedupTest, SitesWithoutFilesUseFunctionOrPc) {
  EXPECT_EQ(DedupKey(samples::Unusual()), "data-race|0x4011a6|<no stack>");
  Report report = samples::Unusual();
  report.accesses[0].stack[0].function = "helper";
  report.accesses[1].stack = {samples::At("", "lib/x.cpp", 0)};
  EXPECT_EQ(DedupKey(report), "data-race|helper|lib/x.cpp");
}

TEST(DedupTest, PairOrderDoesNotMatter) {
  Report swapped = samples::DataRace();
  std::swap(swapped.accesses[0], swapped.accesses[1]);
  swapped.accesses[0].type = AccessType::kWrite;  // W/R and R/W at the same sites
  EXPECT_EQ(DedupKey(swapped), DedupKey(samples::DataRace()));
}

TEST(DedupTest, CycleStartDoesNotMatter) {
  Report rotated = samples::LockOrderInversion();
  std::rotate(rotated.edges.begin(), rotated.edges.begin() + 1, rotated.edges.end());
  rotated.cycle = {2, 1};
  EXPECT_EQ(DedupKey(rotated), DedupKey(samples::LockOrderInversion()));
}

TEST(DedupTest, DifferentKindSiteOrThreadsOnly) {
  Report other_line = samples::DataRace();
  other_line.accesses[0].stack[0].line = 19;
  EXPECT_NE(DedupKey(other_line), DedupKey(samples::DataRace()));

  Report other_kind = samples::DataRace();
  other_kind.kind = Kind::kEventRace;
  EXPECT_NE(DedupKey(other_kind), DedupKey(samples::DataRace()));

  // The same sites reached by other threads, deeper frames or another pid are the same bug.
  Report other_threads = samples::DataRace();
  other_threads.accesses[0].thread = 4;
  other_threads.accesses[0].stack.push_back(samples::At("main", "x.cpp", 1));
  other_threads.pid = 1;
  EXPECT_EQ(DedupKey(other_threads), DedupKey(samples::DataRace()));
}

TEST(DedupTest, DeduplicatorReportsTheFirstOnly) {
  ReportDeduplicator dedup;
  EXPECT_TRUE(dedup.Add(samples::DataRace()));
  EXPECT_FALSE(dedup.Add(samples::DataRace()));
  EXPECT_TRUE(dedup.Add(samples::EventRace()));
  EXPECT_FALSE(dedup.Add(samples::EventRace()));
  EXPECT_EQ(dedup.size(), 2u);
}

TEST(DedupTest, DeduplicatorIsThreadSafe) {
  ReportDeduplicator dedup;
  std::atomic<int> firsts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        Report report = samples::DataRace();
        report.accesses[0].stack[0].line = i % 50;
        if (dedup.Add(report)) firsts.fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(firsts.load(), 50);
  EXPECT_EQ(dedup.size(), 50u);
}

}  // namespace
}  // namespace racelens::report
