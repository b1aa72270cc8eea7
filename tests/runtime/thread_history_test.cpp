// ThreadHistory: the ring of a thread's recent events behind report timelines. Recording,
// wrapping, merging repeats, and a reader that never sees a torn event while the owner writes.
#include "runtime/thread_history.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "racelens/detail/hooks.hpp"

namespace racelens::detail {
namespace {

const void* Address(std::uintptr_t n) { return reinterpret_cast<const void*>(n); }

HistoryEntry Entry(std::uint64_t step, HistoryOp op, std::uintptr_t object, std::uintptr_t site,
                   std::uint32_t other = 0, std::uint32_t ordinal = 0) {
  HistoryEntry e;
  e.step = step;
  e.op = op;
  e.other = other;
  e.ordinal = ordinal;
  e.object = Address(object);
  e.site = Address(site);
  return e;
}

TEST(ThreadHistoryTest, AnEmptyHistoryHasNoEvents) {
  ThreadHistory history;
  EXPECT_TRUE(history.Snapshot().empty());
}

TEST(ThreadHistoryTest, KeepsEveryFieldOfEachEventOldestFirst) {
  ThreadHistory history;
  history.Record(Entry(3, HistoryOp::kLockAcquired, 0x10, 0x100, 0, 1));
  history.Record(Entry(7, HistoryOp::kBlocked, 0x20, 0x200,
                       static_cast<std::uint32_t>(BlockingCall::kQueueJoin), 2));
  history.Record(Entry(9, HistoryOp::kThreadStarted, 0, 0x300, 4242, 3));
  const std::vector<HistoryEntry> events = history.Snapshot();
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[0].step, 3U);
  EXPECT_EQ(events[0].op, HistoryOp::kLockAcquired);
  EXPECT_EQ(events[0].object, Address(0x10));
  EXPECT_EQ(events[0].site, Address(0x100));
  EXPECT_EQ(events[0].ordinal, 1U);
  EXPECT_EQ(events[0].first_step, 3U);
  EXPECT_EQ(events[1].op, HistoryOp::kBlocked);
  EXPECT_EQ(events[1].other, static_cast<std::uint32_t>(BlockingCall::kQueueJoin));
  EXPECT_EQ(events[2].other, 4242U);
  EXPECT_EQ(events[2].ordinal, 3U);
}

TEST(ThreadHistoryTest, KeepsOnlyTheLastCapacityEvents) {
  ThreadHistory history;
  const std::uint64_t total = ThreadHistory::kCapacity + 5;
  for (std::uint64_t step = 1; step <= total; ++step) {
    history.Record(Entry(step, step % 2 == 0 ? HistoryOp::kLockAcquired : HistoryOp::kLockReleased,
                         0x10, 0x100 + step));
  }
  const std::vector<HistoryEntry> events = history.Snapshot();
  ASSERT_EQ(events.size(), ThreadHistory::kCapacity);
  EXPECT_EQ(events.front().step, total - ThreadHistory::kCapacity + 1);
  EXPECT_EQ(events.back().step, total);
  for (std::size_t i = 1; i < events.size(); ++i) EXPECT_EQ(events[i].step, events[i - 1].step + 1);
}

TEST(ThreadHistoryTest, AnEventRepeatedAtOnceReplacesTheLastOne) {
  ThreadHistory history;
  history.Record(Entry(1, HistoryOp::kEventSet, 0x10, 0x100));
  for (std::uint64_t step = 2; step < 100; ++step) {
    history.Record(Entry(step, HistoryOp::kEventSeenClear, 0x20, 0x200, 0, 0));
  }
  // Same operation and object from another site is a new event.
  history.Record(Entry(100, HistoryOp::kEventSeenClear, 0x20, 0x300));
  const std::vector<HistoryEntry> events = history.Snapshot();
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[0].op, HistoryOp::kEventSet);
  EXPECT_EQ(events[1].step, 99U);       // the last of the repeats
  EXPECT_EQ(events[1].first_step, 2U);  // and the first
  EXPECT_EQ(events[1].site, Address(0x200));
  EXPECT_EQ(events[2].site, Address(0x300));
}

TEST(ThreadHistoryTest, AReaderNeverSeesATornEvent) {
  // The owner writes events whose fields all derive from the step; a reader snapshots
  // concurrently and checks that every event it gets is whole.
  ThreadHistory history;
  std::atomic<bool> done{false};
  std::atomic<int> snapshots{0};
  std::thread reader([&] {
    while (!done.load() || snapshots.load() == 0) {
      for (const HistoryEntry& e : history.Snapshot()) {
        ASSERT_EQ(e.object, Address(e.step * 16));
        ASSERT_EQ(e.site, Address(e.step * 16 + 8));
        ASSERT_EQ(e.other, static_cast<std::uint32_t>(e.step % 1000));
        ASSERT_EQ(e.ordinal, static_cast<std::uint32_t>(e.step));
        ASSERT_EQ(e.first_step, e.step);
      }
      snapshots.fetch_add(1);
    }
  });
  for (std::uint64_t step = 1; step <= 200000; ++step) {
    history.Record(Entry(step, HistoryOp::kQueuePut, step * 16, step * 16 + 8,
                         static_cast<std::uint32_t>(step % 1000),
                         static_cast<std::uint32_t>(step)));
  }
  done.store(true);
  reader.join();
  EXPECT_GT(snapshots.load(), 0);
  EXPECT_EQ(history.Snapshot().back().step, 200000U);
}

TEST(ThreadHistoryTest, NamesEveryOperation) {
  EXPECT_STREQ(HistoryOpName(HistoryOp::kLockAcquired), "Lock.acquire()");
  EXPECT_STREQ(HistoryOpName(HistoryOp::kEventSet), "Event.set()");
  EXPECT_STREQ(HistoryOpName(HistoryOp::kQueueTaskDone), "Queue.task_done()");
  for (int op = 0; op <= static_cast<int>(HistoryOp::kBlocked); ++op) {
    EXPECT_STRNE(HistoryOpName(static_cast<HistoryOp>(op)), "an operation") << op;
  }
}

}  // namespace
}  // namespace racelens::detail
