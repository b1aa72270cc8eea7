// tests/instrument/schedule_test.cpp — schedule=random and pct: the controlled scheduler end to
// end.
//
// This binary re-runs itself with RACELENS_OPTIONS=schedule=random:seed=N (or
// schedule=pct) and one of the DISABLED_ child tests below, and checks what
// the child printed:
//   - programs of 2-4 threads over Lock, RLock, Condition, Event, Semaphore,
//     Queue, Barrier, Thread join and ThreadPoolExecutor complete with correct
//     results for seeds 1..50;
//   - the same seed gives the same interleaving (the order of critical
//     sections, recorded in a log guarded by a racelens Lock), and other seeds
//     give others;
//   - a lost wake-up is a deadlock reported at once, not a hang;
//   - a std::thread that calls racelens under the scheduler is refused (exit 2);
//   - time is virtual: sleeps and timeouts cost no wall time, sleepers wake at
//     their deadlines in deadline order, timed waits and Timer fire, and
//     monotonic() advances by exactly the virtual time that passed;
//   - schedule=pct: the same for every primitive over seeds 1..30, the same
//     seed gives the same interleaving, bad pct options are refused.
// What both strategies must do is one value-parameterised suite (ScheduleStrategyTest).
// No sleeps force interleavings and nothing depends on timing. Every child
// runs under `timeout`, so a scheduler bug fails the test instead of hanging.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"
#include "support/child_run.hpp"

namespace racelens {
namespace {

using ::testing::HasSubstr;

// --- the child programs ----------------------------------------------------

// The order in which threads entered critical sections, guarded by a racelens Lock
// (so appending is itself a scheduling point).
class OrderLog {
 public:
  void Add(const std::string& entry) {
    std::lock_guard guard(lock_);
    entries_ += entry;
    entries_ += ' ';
  }
  std::string Take() {
    std::lock_guard guard(lock_);
    return std::exchange(entries_, {});
  }

 private:
  Lock lock_;
  std::string entries_;
};

OrderLog& Log() {
  static OrderLog log;
  return log;
}

void RunThreads(int n, const std::function<void(int)>& f) {
  std::deque<Thread> threads;
  for (int i = 0; i < n; ++i) threads.emplace_back(f, i);
  for (auto& t : threads) t.start();
  for (auto& t : threads) t.join();
}

void Result(const char* name, bool ok, const std::string& detail) {
  std::printf("R %s %s %s\n", name, ok ? "ok" : "FAIL", detail.c_str());
  std::printf("L %s %s\n", name, Log().Take().c_str());
}

void LockProgram() {
  Lock lock;
  int counter = 0;
  RunThreads(3, [&](int i) {
    for (int k = 0; k < 10; ++k) {
      std::lock_guard guard(lock);
      ++counter;
      Log().Add("l" + std::to_string(i));
    }
  });
  Result("lock", counter == 30, std::to_string(counter));
}

void RLockProgram() {
  RLock lock;
  int counter = 0;
  RunThreads(3, [&](int i) {
    for (int k = 0; k < 5; ++k) {
      std::lock_guard outer(lock);
      std::lock_guard inner(lock);
      ++counter;
      Log().Add("r" + std::to_string(i));
    }
  });
  Result("rlock", counter == 15, std::to_string(counter));
}

void ConditionProgram() {
  Condition cv;
  std::deque<int> items;
  int consumed = 0;
  int sum = 0;
  constexpr int kItems = 12;
  RunThreads(3, [&](int i) {
    if (i == 0) {
      for (int k = 1; k <= kItems; ++k) {
        std::lock_guard guard(cv);
        items.push_back(k);
        cv.notify();
      }
      return;
    }
    for (;;) {
      std::unique_lock guard(cv);
      cv.wait_for([&] { return !items.empty() || consumed == kItems; });
      if (items.empty()) return;
      sum += items.front();
      items.pop_front();
      Log().Add("c" + std::to_string(i));
      if (++consumed == kItems) cv.notify_all();
    }
  });
  Result("condition", sum == kItems * (kItems + 1) / 2, std::to_string(sum));
}

void EventProgram() {
  Event ready;
  Event done[3];
  RunThreads(4, [&](int i) {
    if (i == 3) {
      Log().Add("e-set");
      ready.set();
      for (auto& d : done) d.wait();
      return;
    }
    ready.wait();
    Log().Add("e" + std::to_string(i));
    done[i].set();
  });
  Result("event", ready.is_set(), "");
}

void SemaphoreProgram() {
  Semaphore slots(2);
  Lock lock;
  int inside = 0;
  int most = 0;
  RunThreads(4, [&](int i) {
    for (int k = 0; k < 3; ++k) {
      slots.acquire();
      {
        std::lock_guard guard(lock);
        most = std::max(most, ++inside);
      }
      Log().Add("s" + std::to_string(i));
      {
        std::lock_guard guard(lock);
        --inside;
      }
      slots.release();
    }
  });
  Result("semaphore", most >= 1 && most <= 2, std::to_string(most));
}

void QueueProgram() {
  Queue<int> q(2);
  Lock lock;
  int sum = 0;
  RunThreads(4, [&](int i) {
    if (i < 2) {
      for (int k = 1; k <= 6; ++k) q.put(i * 100 + k);
      return;
    }
    for (int k = 0; k < 6; ++k) {
      const int item = q.get();
      {
        std::lock_guard guard(lock);
        sum += item;
      }
      Log().Add("q" + std::to_string(item));
      q.task_done();
    }
  });
  q.join();
  Result("queue", sum == 2 * 21 + 100 * 6, std::to_string(sum));
}

void BarrierProgram() {
  Barrier barrier(3);
  Lock lock;
  int arrived[3] = {0, 0, 0};
  bool ok = true;
  RunThreads(3, [&](int i) {
    for (int round = 0; round < 3; ++round) {
      {
        std::lock_guard guard(lock);
        ++arrived[round];
      }
      Log().Add("b" + std::to_string(i));
      barrier.wait();
      std::lock_guard guard(lock);
      if (arrived[round] != 3) ok = false;  // everyone arrived before anyone passed
    }
  });
  Result("barrier", ok, "");
}

void JoinProgram() {
  Shared<int> value(0, "value");
  Thread first([&] {
    Log().Add("j1");
    value = 1;
  });
  first.start();
  Thread second([&] {
    first.join();
    Log().Add("j2");
    value = value + 1;
  });
  second.start();
  second.join();
  Result("join", value == 2, std::to_string(static_cast<int>(value)));
}

void ExecutorProgram() {
  long long sum = 0;
  {
    ThreadPoolExecutor executor(2);
    std::vector<Future<int>> futures;
    for (int k = 1; k <= 8; ++k) {
      futures.push_back(executor.submit([k] {
        Log().Add("x" + std::to_string(k));
        return k * k;
      }));
    }
    for (auto& f : futures) sum += f.result();
  }
  Result("executor", sum == 204, std::to_string(sum));
}

TEST(ScheduleChild, DISABLED_EveryPrimitive) {
  LockProgram();
  RLockProgram();
  ConditionProgram();
  EventProgram();
  SemaphoreProgram();
  QueueProgram();
  BarrierProgram();
  JoinProgram();
  ExecutorProgram();
  std::fflush(stdout);
}

// Two threads take two locks in opposite orders: some interleavings deadlock.
TEST(ScheduleChild, DISABLED_LockOrder) {
  Lock a;
  Lock b;
  RunThreads(2, [&](int i) {
    Lock& first = i == 0 ? a : b;
    Lock& second = i == 0 ? b : a;
    std::lock_guard g1(first);
    std::lock_guard g2(second);
    Log().Add("o" + std::to_string(i));
  });
  std::printf("R lock-order done\n");
}

// Timed waits that nobody ends: each returns false once its (virtual) deadline
// passed, while another thread keeps running.
TEST(ScheduleChild, DISABLED_Timeouts) {
  Event never;
  Lock held;
  held.acquire();
  Queue<int> empty;
  bool event_timed_out = false;
  bool lock_timed_out = false;
  bool queue_timed_out = false;
  int counted = 0;
  RunThreads(2, [&](int i) {
    if (i == 0) {
      event_timed_out = !never.wait(0.01);
      lock_timed_out = !held.acquire(true, 0.01);
      try {
        empty.get(true, 0.01);
      } catch (const Empty&) {
        queue_timed_out = true;
      }
      return;
    }
    for (int k = 0; k < 20; ++k) {
      Log().Add("t");
      ++counted;
    }
  });
  held.release();
  std::printf("R timeouts %d %d %d %d\n", event_timed_out, lock_timed_out, queue_timed_out,
              counted);
}

// A notify that comes before the wait is lost: the waiter waits forever, and
// the main thread joins it.
TEST(ScheduleChild, DISABLED_LostWakeup) {
  Condition cv;
  {
    std::lock_guard guard(cv);
    cv.notify();
  }
  Thread waiter([&] {
    std::lock_guard guard(cv);
    cv.wait();
  });
  waiter.start();
  waiter.join();
  std::printf("R lost-wakeup returned\n");
}

TEST(ScheduleChild, DISABLED_ForeignThread) {
  Lock lock;
  std::thread foreign([&] { lock.acquire(); });
  foreign.join();
  std::printf("R foreign returned\n");
}

// A sleep far longer than the child's `timeout`: virtual time costs nothing.
TEST(ScheduleChild, DISABLED_LongSleep) {
  const double start = monotonic();
  sleep(1000);
  std::printf("R long-sleep %.6f %.6f\n", start, monotonic() - start);
}

// Three threads sleep 3, 1 and 2 seconds. Right after each wake (no scheduling
// point in between) a thread takes the next wake number and reads the clock.
// A sleep takes its deadline after its scheduling point and blocks at once, so
// the clock never passes a sleeper's deadline before it wakes: the wake times,
// in wake order, are the deadlines in deadline order, and none is early.
TEST(ScheduleChild, DISABLED_SleepOrder) {
  const double start = monotonic();
  int wakes = 0;  // only ever touched by the token holder
  struct Wake {
    int order = -1;
    double before = 0;
    double at = 0;
  };
  std::array<Wake, 3> seen{};
  const std::array<double, 3> lengths = {3, 1, 2};
  RunThreads(3, [&](int i) {
    const double before = monotonic();
    sleep(lengths[i]);
    seen[i] = {wakes++, before, monotonic()};
  });
  std::array<const Wake*, 3> by_order{};
  bool not_early = true;
  for (int i = 0; i < 3; ++i) {
    by_order.at(seen[i].order) = &seen[i];
    not_early = not_early && seen[i].at - seen[i].before >= lengths[i];
  }
  const bool in_order = by_order[0]->at <= by_order[1]->at && by_order[1]->at <= by_order[2]->at;
  std::printf("R sleep-order %d %d %.6f\n", in_order, not_early, monotonic() - start);
}

// A timed wait nobody ends, alone and beside a busy thread.
TEST(ScheduleChild, DISABLED_EventTimeout) {
  Event never;
  double start = monotonic();
  const bool alone = never.wait(5);
  const double alone_took = monotonic() - start;
  bool beside = true;
  double beside_took = 0;
  RunThreads(2, [&](int i) {
    if (i == 0) {
      const double t = monotonic();
      beside = never.wait(5);
      beside_took = monotonic() - t;
      return;
    }
    for (int k = 0; k < 20; ++k) Log().Add("b");
  });
  std::printf("R event-timeout %d %.6f %d %.6f\n", alone, alone_took, beside, beside_took);
}

TEST(ScheduleChild, DISABLED_TimerFires) {
  const double start = monotonic();
  bool fired = false;
  double fired_after = 0;
  Timer timer(2.5, [&] {
    fired = true;
    fired_after = monotonic() - start;
  });
  timer.start();
  Timer cancelled(1.0, [&] { std::printf("R cancelled timer fired\n"); });
  cancelled.start();
  cancelled.cancel();
  timer.join();
  cancelled.join();
  std::printf("R timer %d %.6f\n", fired, fired_after);
}

// A loop of timed waits must not keep the token from the thread that ends it.
TEST(ScheduleChild, DISABLED_TimedWaitLoop) {
  Event done;
  int polls = 0;
  int work = 0;
  RunThreads(2, [&](int i) {
    if (i == 0) {
      while (!done.wait(0.1)) ++polls;
      return;
    }
    for (int k = 0; k < 10; ++k) {
      Log().Add("w");
      ++work;
    }
    done.set();
  });
  std::printf("R timed-wait-loop %d\n", work);
}

// A lost wake-up while another thread sleeps: once the sleeper is done,
// nothing can wake the waiter.
TEST(ScheduleChild, DISABLED_LostWakeupBesideASleeper) {
  Condition cv;
  Thread sleeper([] { sleep(100); });
  sleeper.start();
  Thread waiter([&] {
    std::lock_guard guard(cv);
    cv.wait();
  });
  waiter.start();
  sleeper.join();
  waiter.join();
  std::printf("R lost-wakeup returned\n");
}

// A thread that busy-waits: every round is a scheduling point (is_set) but never blocks.
// Under PCT with the highest priority it would keep the token forever if priorities ruled
// every pick; after pct_steps picks they no longer do.
TEST(ScheduleChild, DISABLED_BusyWait) {
  Event flag;
  long rounds = 0;
  Thread spinner([&] {
    while (!flag.is_set()) ++rounds;
  });
  Thread setter([&] { flag.set(); });
  spinner.start();
  setter.start();
  spinner.join();
  setter.join();
  std::printf("R busy-wait ended %d\n", rounds > 0 ? 1 : 0);
}

// --- the parent tests -----------------------------------------------------

using testing::ChildRun;

// ScheduleChild.<test> re-run with RACELENS_OPTIONS=options (support/child_run.hpp).
testing::ChildRun RunChild(const std::string& options, const std::string& test) {
  return testing::RunChild(options, "ScheduleChild." + test);
}

std::string Seeded(int seed) { return "schedule=random:exitcode=0:seed=" + std::to_string(seed); }

// --- what every strategy must do -----------------------------------------------

struct StrategyCase {
  const char* schedule;
  int seeds;  // EveryPrimitive runs seeds 1..seeds
};

std::ostream& operator<<(std::ostream& out, const StrategyCase& c) { return out << c.schedule; }

class ScheduleStrategyTest : public ::testing::TestWithParam<StrategyCase> {
 protected:
  static std::string Options(int seed) {
    return std::string("schedule=") + GetParam().schedule +
           ":exitcode=0:seed=" + std::to_string(seed);
  }
};

TEST_P(ScheduleStrategyTest, EveryPrimitiveCompletesWithCorrectResults) {
  for (int seed = 1; seed <= GetParam().seeds; ++seed) {
    const ChildRun run = RunChild(Options(seed), "DISABLED_EveryPrimitive");
    ASSERT_EQ(run.status, 0) << "seed " << seed << ":\n" << run.all;
    for (const char* name : {"lock", "rlock", "condition", "event", "semaphore", "queue", "barrier",
                             "join", "executor"}) {
      EXPECT_THAT(run.output, HasSubstr(std::string("R ") + name + " ok"))
          << "seed " << seed << ":\n"
          << run.all;
    }
    EXPECT_THAT(run.output, ::testing::Not(HasSubstr("FAIL"))) << "seed " << seed;
  }
}

TEST_P(ScheduleStrategyTest, TheSameSeedGivesTheSameInterleaving) {
  for (int seed : {3, 17}) {
    const ChildRun first = RunChild(Options(seed), "DISABLED_EveryPrimitive");
    const ChildRun second = RunChild(Options(seed), "DISABLED_EveryPrimitive");
    ASSERT_EQ(first.status, 0) << first.all;
    ASSERT_EQ(second.status, 0) << second.all;
    EXPECT_EQ(first.output, second.output) << "seed " << seed;
  }
}

TEST_P(ScheduleStrategyTest, OtherSeedsGiveOtherInterleavings) {
  std::set<std::string> outputs;
  for (int seed = 1; seed <= 5; ++seed) {
    const ChildRun run = RunChild(Options(seed), "DISABLED_EveryPrimitive");
    ASSERT_EQ(run.status, 0) << run.all;
    outputs.insert(run.output);
  }
  EXPECT_GT(outputs.size(), 1U);
}

TEST_P(ScheduleStrategyTest, ALostWakeupIsReportedAsADeadlockAtOnce) {
  for (int seed = 1; seed <= 5; ++seed) {
    const ChildRun run =
        RunChild(std::string("schedule=") + GetParam().schedule + ":seed=" + std::to_string(seed),
                 "DISABLED_LostWakeup");
    EXPECT_EQ(run.status, 66) << run.all;
    EXPECT_THAT(run.all, HasSubstr("deadlock")) << run.all;
    EXPECT_THAT(run.output, ::testing::Not(HasSubstr("R lost-wakeup returned")));
  }
}

INSTANTIATE_TEST_SUITE_P(Strategies, ScheduleStrategyTest,
                         ::testing::Values(StrategyCase{"random", 50}, StrategyCase{"pct", 30}),
                         [](const ::testing::TestParamInfo<StrategyCase>& info) {
                           return std::string(info.param.schedule);
                         });

// --- schedule=random -----------------------------------------------------------

TEST(ScheduleRandomTest, EveryPrimitiveCompletesWithoutTheDetector) {
  for (int seed = 1; seed <= 10; ++seed) {
    const ChildRun run = RunChild(Seeded(seed) + ":detect=0", "DISABLED_EveryPrimitive");
    ASSERT_EQ(run.status, 0) << "seed " << seed << ":\n" << run.all;
    EXPECT_THAT(run.output, ::testing::Not(HasSubstr("FAIL"))) << "seed " << seed;
    EXPECT_THAT(run.output, HasSubstr("R executor ok")) << "seed " << seed;
  }
}

TEST(ScheduleRandomTest, LockOrderInversionEitherCompletesOrIsReportedNeverHangs) {
  int deadlocked = 0;
  int completed = 0;
  for (int seed = 1; seed <= 30; ++seed) {
    const ChildRun run =
        RunChild("schedule=random:seed=" + std::to_string(seed), "DISABLED_LockOrder");
    if (run.output.find("R lock-order done") != std::string::npos) {
      ++completed;
      // The inversion itself is reported (lock-order), so the exit status is 66 either way.
      EXPECT_EQ(run.status, 66) << run.all;
    } else {
      ++deadlocked;
      EXPECT_EQ(run.status, 66) << run.all;
      EXPECT_THAT(run.all, HasSubstr("deadlock: threads wait for each other's locks")) << run.all;
    }
  }
  // Both outcomes occur among 30 seeds (fixed seeds: this does not vary between runs).
  EXPECT_GT(deadlocked, 0);
  EXPECT_GT(completed, 0);
}

TEST(ScheduleRandomTest, TimedWaitsEndAtTheirDeadlines) {
  for (int seed = 1; seed <= 5; ++seed) {
    const ChildRun run = RunChild(Seeded(seed), "DISABLED_Timeouts");
    ASSERT_EQ(run.status, 0) << run.all;
    EXPECT_THAT(run.output, HasSubstr("R timeouts 1 1 1 20")) << run.all;
  }
}

TEST(ScheduleRandomTest, ALostWakeupWithoutTheDetectorEndsWithAMessage) {
  const ChildRun run = RunChild("schedule=random:seed=1:detect=0", "DISABLED_LostWakeup");
  EXPECT_EQ(run.status, 66) << run.all;
  EXPECT_THAT(run.output,
              HasSubstr("racelens: deadlock: under schedule=random every racelens thread waits "
                        "and none can ever be woken"));
}

TEST(ScheduleRandomTest, AStdThreadCallingRacelensIsRefused) {
  const ChildRun run = RunChild("schedule=random:seed=1", "DISABLED_ForeignThread");
  EXPECT_EQ(run.status, 2) << run.all;
  EXPECT_EQ(run.output,
            "racelens: schedule=random serialises racelens threads; a thread not started by "
            "racelens::Thread (std::thread, pthread_create) called racelens; start it with "
            "racelens::Thread or use schedule=os.\n");
}

// --- virtual time ------------------------------------------------------------

TEST(ScheduleVirtualTimeTest, ALongSleepEndsAtOnceAndAdvancesMonotonicByItsLength) {
  for (const char* schedule : {"random", "pct"}) {
    const ChildRun run =
        RunChild(std::string("schedule=") + schedule + ":exitcode=0:seed=1", "DISABLED_LongSleep");
    ASSERT_EQ(run.status, 0) << run.all;
    EXPECT_THAT(run.output, HasSubstr("R long-sleep 1000.000000 1000.000000")) << schedule;
  }
}

TEST(ScheduleVirtualTimeTest, SleepersWakeAtTheirDeadlinesInDeadlineOrder) {
  for (int seed = 1; seed <= 10; ++seed) {
    for (const char* schedule : {"random", "pct"}) {
      const ChildRun run =
          RunChild(std::string("schedule=") + schedule + ":exitcode=0:seed=" + std::to_string(seed),
                   "DISABLED_SleepOrder");
      ASSERT_EQ(run.status, 0) << run.all;
      EXPECT_THAT(run.output, HasSubstr("R sleep-order 1 1 ")) << schedule << " seed " << seed;
    }
  }
}

TEST(ScheduleVirtualTimeTest, ATimedEventWaitNobodyEndsReturnsFalseAfterItsTimeout) {
  for (int seed = 1; seed <= 5; ++seed) {
    const ChildRun run = RunChild(Seeded(seed), "DISABLED_EventTimeout");
    ASSERT_EQ(run.status, 0) << run.all;
    EXPECT_THAT(run.output, HasSubstr("R event-timeout 0 5.000000 0 5.000000")) << run.all;
  }
}

TEST(ScheduleVirtualTimeTest, ATimerFiresAfterItsIntervalAndACancelledOneDoesNot) {
  for (int seed = 1; seed <= 5; ++seed) {
    const ChildRun run = RunChild(Seeded(seed), "DISABLED_TimerFires");
    ASSERT_EQ(run.status, 0) << run.all;
    EXPECT_THAT(run.output, HasSubstr("R timer 1 2.500000")) << run.all;
    EXPECT_THAT(run.output, ::testing::Not(HasSubstr("cancelled timer fired"))) << run.all;
  }
}

TEST(ScheduleVirtualTimeTest, ALoopOfTimedWaitsDoesNotStarveTheThreadThatEndsIt) {
  for (int seed = 1; seed <= 10; ++seed) {
    for (const char* schedule : {"random", "pct"}) {
      const ChildRun run =
          RunChild(std::string("schedule=") + schedule + ":exitcode=0:seed=" + std::to_string(seed),
                   "DISABLED_TimedWaitLoop");
      ASSERT_EQ(run.status, 0) << run.all;
      EXPECT_THAT(run.output, HasSubstr("R timed-wait-loop 10")) << schedule << " seed " << seed;
    }
  }
}

TEST(ScheduleVirtualTimeTest, ALostWakeupBesideASleeperIsStillReportedAsADeadlock) {
  for (int seed = 1; seed <= 5; ++seed) {
    const ChildRun run = RunChild("schedule=random:seed=" + std::to_string(seed),
                                  "DISABLED_LostWakeupBesideASleeper");
    EXPECT_EQ(run.status, 66) << run.all;
    EXPECT_THAT(run.all, HasSubstr("deadlock")) << run.all;
    EXPECT_THAT(run.output, ::testing::Not(HasSubstr("R lost-wakeup returned")));
  }
}

// --- schedule=pct ------------------------------------------------------------

std::string Pct(int seed) { return "schedule=pct:exitcode=0:seed=" + std::to_string(seed); }

TEST(SchedulePctTest, EveryDepthCompletes) {
  for (int depth : {1, 2, 5, 10}) {
    const ChildRun run = RunChild(Pct(7) + ":pct_steps=200:pct_depth=" + std::to_string(depth),
                                  "DISABLED_EveryPrimitive");
    ASSERT_EQ(run.status, 0) << "depth " << depth << ":\n" << run.all;
    EXPECT_THAT(run.output, ::testing::Not(HasSubstr("FAIL"))) << "depth " << depth;
  }
}

TEST(SchedulePctTest, BadPctOptionsEndTheProgramWithASentence) {
  const std::array<std::pair<const char*, const char*>, 4> cases = {{
      {"pct_depth=0",
       "racelens: option 'pct_depth' must be an integer from 1 to 10, not '0'; "
       "fix RACELENS_OPTIONS.\n"},
      {"pct_depth=11",
       "racelens: option 'pct_depth' must be an integer from 1 to 10, not '11'; "
       "fix RACELENS_OPTIONS.\n"},
      {"pct_steps=0",
       "racelens: option 'pct_steps' must be an integer from 1 to 1000000000, not "
       "'0'; fix RACELENS_OPTIONS.\n"},
      {"pct_steps=many",
       "racelens: option 'pct_steps' must be an integer from 1 to 1000000000, "
       "not 'many'; fix RACELENS_OPTIONS.\n"},
  }};
  for (const auto& [option, message] : cases) {
    const ChildRun run =
        RunChild(std::string("schedule=pct:seed=1:") + option, "DISABLED_LongSleep");
    EXPECT_EQ(run.status, 2) << option << ":\n" << run.all;
    EXPECT_EQ(run.output, message) << option;
  }
}

TEST(SchedulePctTest, ABusyWaitingThreadWithTheHighestPriorityCannotKeepTheTokenForever) {
  for (int seed = 1; seed <= 20; ++seed) {
    const ChildRun run = RunChild(Pct(seed) + ":pct_depth=1:pct_steps=10", "DISABLED_BusyWait");
    ASSERT_EQ(run.status, 0) << "seed " << seed << ":\n" << run.all;
    EXPECT_THAT(run.output, HasSubstr("R busy-wait ended")) << "seed " << seed;
  }
}

}  // namespace
}  // namespace racelens
