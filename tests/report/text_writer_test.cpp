// The text report: golden output for every kind, built from hand-made reports.
#include "report/text_writer.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "report/report_samples.hpp"

namespace racelens::report {
namespace {

std::string Text(const Report& report) {
  std::ostringstream out;
  WriteText(report, out);
  return out.str();
}

TEST(TextWriterTest, DataRaceHasTheShapeOfTheDesignExample) {
  EXPECT_EQ(Text(samples::DataRace()),
            "==================\n"
            "WARNING: racelens: data race on 'value' (pid=4242)\n"
            "  Write of 'value' by thread T3 'Thread-3':\n"
            "    #0 getlock() samples/nolock_counter.cpp:18\n"
            "    #1 worker(int) samples/nolock_counter.cpp:22\n"
            "  Previous read of 'value' by thread T7 'Thread-7':\n"
            "    #0 getlock() samples/nolock_counter.cpp:16\n"
            "  Locks held by T3: none\n"
            "  Thread T3 'Thread-3' created by main thread at:\n"
            "    #0 main samples/nolock_counter.cpp:25\n"
            "  Thread T7 'Thread-7' created by main thread at:\n"
            "    #0 main samples/nolock_counter.cpp:25\n"
            "  Replay: racelens replay --schedule pct --seed 17 -- ./nolock_counter\n"
            "SUMMARY: racelens: data race samples/nolock_counter.cpp:18 in getlock()\n"
            "==================\n");
}

TEST(TextWriterTest, EventRaceNamesClearAndPreviousSet) {
  EXPECT_EQ(Text(samples::EventRace()),
            "==================\n"
            "WARNING: racelens: event race on 'event' (pid=77)\n"
            "  Clear of event 'event' by thread T2 'Thread-2':\n"
            "    #0 consumer() samples/event_consumer.cpp:14\n"
            "  Previous set of event 'event' by thread T1 'Thread-1':\n"
            "    #0 producer() samples/event_consumer.cpp:8\n"
            "  Locks held by T2: none\n"
            "  Thread T1 'Thread-1' created by main thread at:\n"
            "    #0 main samples/event_consumer.cpp:20\n"
            "  Thread T2 'Thread-2' created by main thread at:\n"
            "    #0 main samples/event_consumer.cpp:21\n"
            "SUMMARY: racelens: event race samples/event_consumer.cpp:14 in consumer()\n"
            "==================\n");
}

TEST(TextWriterTest, EventRaceWithSetAfterClear) {
  Report report = samples::EventRace();
  std::swap(report.accesses[0].type, report.accesses[1].type);
  const std::string text = Text(report);
  EXPECT_NE(text.find("  Set of event 'event' by thread T2 'Thread-2':\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  Previous clear of event 'event' by thread T1 'Thread-1':\n"),
            std::string::npos)
      << text;
}

TEST(TextWriterTest, LockOrderInversionPrintsTheCycleAndBothStacksPerEdge) {
  EXPECT_EQ(Text(samples::LockOrderInversion()),
            "==================\n"
            "WARNING: racelens: lock-order-inversion (potential deadlock) (pid=100)\n"
            "  Cycle in lock order graph: M1 'lock_a' => M2 'lock_b' => M1\n"
            "  Mutex M2 'lock_b' acquired here while holding mutex M1 'lock_a' in thread T1 "
            "'Thread-1':\n"
            "    #0 first() samples/ab_ba.cpp:12\n"
            "  Mutex M1 'lock_a' previously acquired by the same thread here:\n"
            "    #0 first() samples/ab_ba.cpp:11\n"
            "  Mutex M1 'lock_a' acquired here while holding mutex M2 'lock_b' in thread T2 "
            "'Thread-2':\n"
            "    #0 second() samples/ab_ba.cpp:18\n"
            "  Mutex M2 'lock_b' previously acquired by the same thread here:\n"
            "    #0 second() samples/ab_ba.cpp:17\n"
            "  Thread T1 'Thread-1' created by main thread at:\n"
            "    #0 main samples/ab_ba.cpp:24\n"
            "  Thread T2 'Thread-2' created by main thread at:\n"
            "    #0 main samples/ab_ba.cpp:25\n"
            "  Replay: racelens replay --schedule random --seed 3 -- ./ab_ba\n"
            "SUMMARY: racelens: lock-order-inversion samples/ab_ba.cpp:12 in first()\n"
            "==================\n");
}

TEST(TextWriterTest, DeadlockWithEveryThreadBlockedListsEachBlockingCall) {
  EXPECT_EQ(Text(samples::StuckDeadlock()),
            "==================\n"
            "WARNING: racelens: deadlock (every live thread is blocked) (pid=9)\n"
            "  Every live thread is blocked and no timeout is pending.\n"
            "  Main thread is blocked in Queue.join() on 'q':\n"
            "    #0 main samples/queue_join.cpp:30\n"
            "  Thread T2 'Thread-2' is blocked in Queue.get():\n"
            "    #0 worker() samples/queue_join.cpp:12\n"
            "  Locks held by T0: none\n"
            "  Locks held by T2: none\n"
            "  Thread T2 'Thread-2' created by main thread at:\n"
            "    #0 main samples/queue_join.cpp:28\n"
            "SUMMARY: racelens: deadlock samples/queue_join.cpp:30 in main\n"
            "==================\n");
}

TEST(TextWriterTest, DeadlockWithWaitForCyclePrintsTheCycle) {
  EXPECT_EQ(Text(samples::CycleDeadlock()),
            "==================\n"
            "WARNING: racelens: deadlock (wait-for cycle) (pid=100)\n"
            "  Cycle in wait-for graph: T1 'Thread-1' => T2 'Thread-2' => T1\n"
            "  Thread T1 'Thread-1' is blocked in Lock.acquire() on 'lock_b':\n"
            "    #0 first() samples/ab_ba.cpp:12\n"
            "  Thread T2 'Thread-2' is blocked in Lock.acquire() on 'lock_a':\n"
            "    #0 second() samples/ab_ba.cpp:18\n"
            "  Locks held by T1: M1 'lock_a'\n"
            "  Locks held by T2: M2 'lock_b'\n"
            "  Thread T1 'Thread-1' created by main thread at:\n"
            "    #0 main samples/ab_ba.cpp:24\n"
            "  Thread T2 'Thread-2' created by main thread at:\n"
            "    #0 main samples/ab_ba.cpp:25\n"
            "SUMMARY: racelens: deadlock samples/ab_ba.cpp:12 in first()\n"
            "==================\n");
}

TEST(TextWriterTest, MisuseHeadsTheStackWithTheMessage) {
  EXPECT_EQ(Text(samples::Misuse()),
            "==================\n"
            "WARNING: racelens: misuse of Lock.release(): release unlocked lock (pid=5)\n"
            "  Lock.release(): release unlocked lock in thread T1 'Thread-1':\n"
            "    #0 worker() samples/release_twice.cpp:9\n"
            "  Locks held by T1: none\n"
            "  Thread T1 'Thread-1' created by main thread at:\n"
            "    #0 main samples/release_twice.cpp:14\n"
            "SUMMARY: racelens: misuse samples/release_twice.cpp:9 in worker()\n"
            "==================\n");
}

TEST(TextWriterTest, MisuseWithoutACallIsJustTheMessage) {
  Report report = samples::Misuse();
  report.accesses[0].call.clear();
  EXPECT_NE(Text(report).find("  release unlocked lock in thread T1 'Thread-1':\n"),
            std::string::npos);
}

TEST(TextWriterTest, UnnamedThingsUnknownFramesAndForeignThreads) {
  EXPECT_EQ(Text(samples::Unusual()),
            "==================\n"
            "WARNING: racelens: data race on '0x7ffd1000' (pid=1)\n"
            "  Write of '0x7ffd1000' by thread T5 'Dummy-5':\n"
            "    #0 <unknown> 0x4011a6\n"
            "    #1 helper 0x4011f0\n"
            "    #2 <unknown> lib/x.cpp\n"
            "  Previous read of '0x7ffd1000' by thread T6:\n"
            "    <empty stack>\n"
            "  Locks held by T5: M3\n"
            "  Locks held by T6 at the previous access: M3, M4 'guard'\n"
            "  Thread T5 'Dummy-5' was not started by racelens\n"
            "  Thread T6 created by thread T5 'Dummy-5' at:\n"
            "    #0 spawn() lib/x.cpp:40\n"
            "SUMMARY: racelens: data race 0x4011a6\n"
            "==================\n");
}

TEST(TextWriterTest, LockAcquisitionAccessUsesMutexWording) {
  Report report = samples::Misuse();
  report.message = "thread exited while holding a lock";
  report.accesses[0].call = "Thread.run()";
  Access acquired;
  acquired.type = AccessType::kLockAcquire;
  acquired.thread = 1;
  acquired.object = "lock_a";
  acquired.previous = true;
  acquired.stack = {samples::At("worker()", "samples/exit_holding.cpp", 5)};
  report.accesses.push_back(acquired);
  const std::string text = Text(report);
  EXPECT_NE(text.find("  Thread.run(): thread exited while holding a lock in thread T1 "
                      "'Thread-1':\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  Previous acquisition of mutex 'lock_a' by thread T1 'Thread-1':\n"
                      "    #0 worker() samples/exit_holding.cpp:5\n"),
            std::string::npos)
      << text;
}

TEST(TextWriterTest, EveryKindIsFramedAndSummarised) {
  for (const Report& report : samples::All()) {
    const std::string text = Text(report);
    EXPECT_EQ(text.rfind("==================\nWARNING: racelens: ", 0), 0u) << text;
    EXPECT_TRUE(text.ends_with("\nSUMMARY: racelens: " + report.summary + "\n==================\n"))
        << text;
  }
}

}  // namespace
}  // namespace racelens::report
