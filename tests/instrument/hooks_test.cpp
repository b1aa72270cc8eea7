// The event hooks: every operation reports the events a detector consumes,
// misuse is reported even when the exception is caught, every thread is
// registered with a runtime id and name, and detect=0 silences everything.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "racelens/racelens.hpp"
#include "support/bunch.hpp"
#include "support/recording_listener.hpp"

namespace racelens {
namespace {

using ::testing::ElementsAre;
using testing::RecordingListener;
using testing::WaitUntilTrue;

class HooksTest : public ::testing::Test {
 protected:
  RecordingListener recorder;
  detail::ScopedListener scoped{recorder};
};

TEST_F(HooksTest, LockReportsPreLockPostLockAndUnlock) {
  Lock lock;
  lock.acquire();
  lock.release();
  EXPECT_THAT(recorder.HooksFor(&lock),
              ElementsAre("ObjectCreate", "MutexPreLock", "MutexPostLock", "MutexUnlock"));
}

TEST_F(HooksTest, EveryListenerGetsEventsWhicheverSlotItHolds) {
  // Hooks visit only the slots up to the highest one ever filled: a listener added after
  // others, in a higher slot, and one in a slot freed and filled again both get every event.
  RecordingListener second;
  RecordingListener third;
  RecordingListener refill;
  auto scoped_second = std::make_unique<detail::ScopedListener>(second);
  const detail::ScopedListener scoped_third{third};
  scoped_second.reset();  // frees a slot below third's
  const detail::ScopedListener scoped_refill{refill};
  Lock lock;
  lock.acquire();
  lock.release();
  for (const RecordingListener* listener : {&recorder, &third, &refill}) {
    EXPECT_EQ(listener->Count("MutexPostLock", &lock), 1);
  }
  EXPECT_EQ(second.Count("MutexPostLock", &lock), 0) << "removed before the lock existed";
}

TEST_F(HooksTest, FailedTryLockIsReportedAsNotAcquired) {
  Lock lock;
  lock.acquire();
  recorder.Clear();
  EXPECT_FALSE(lock.try_lock());
  EXPECT_THAT(recorder.HooksFor(&lock), ElementsAre("MutexPreLock", "MutexPostLockFailed"));
  lock.release();
}

TEST_F(HooksTest, ReentrantRLockAcquireIsNotANewAcquisition) {
  RLock lock;
  lock.acquire();
  lock.acquire();
  lock.release();
  lock.release();
  EXPECT_THAT(recorder.HooksFor(&lock), ElementsAre("ObjectCreate", "MutexPreLock", "MutexPostLock",
                                                    "MutexPostLock", "MutexUnlock", "MutexUnlock"));
}

TEST_F(HooksTest, BlockingAcquireReportsBlockAndUnblock) {
  Lock lock;
  lock.acquire();
  Thread waiter([&] {
    lock.acquire();
    lock.release();
  });
  waiter.start();
  ASSERT_TRUE(WaitUntilTrue([&] { return recorder.Count("Block", &lock) == 1; }));
  lock.release();
  waiter.join();
  EXPECT_EQ(recorder.Count("Unblock", &lock), 1);
}

TEST_F(HooksTest, SemaphoreEventConditionBarrierAndQueueReportTheirEdges) {
  Semaphore sem(1);
  sem.acquire();
  sem.release();
  EXPECT_THAT(recorder.HooksFor(&sem),
              ElementsAre("ObjectCreate", "SemaphoreAcquire", "SemaphoreRelease"));

  Event event;
  EXPECT_FALSE(event.is_set());
  event.set();
  EXPECT_TRUE(event.wait());
  event.clear();
  EXPECT_THAT(recorder.HooksFor(&event), ElementsAre("ObjectCreate", "EventObserveUnset",
                                                     "EventSet", "EventObserveSet", "EventClear"));

  Condition cond;
  Event waiting;
  Thread waiter([&] {
    std::lock_guard guard(cond);
    waiting.set();
    cond.wait();
  });
  waiter.start();
  waiting.wait();
  // The waiter releases the lock inside wait(), so holding it here means it is waiting.
  ASSERT_TRUE(WaitUntilTrue([&] { return recorder.Count("Block", &cond) == 1; }));
  {
    std::lock_guard guard(cond);
    cond.notify();
  }
  waiter.join();
  EXPECT_EQ(recorder.Count("ConditionNotify", &cond), 1);
  EXPECT_EQ(recorder.Count("ConditionWake", &cond), 1);

  Barrier barrier(2);
  Thread other([&] { barrier.wait(); });
  other.start();
  barrier.wait();
  other.join();
  EXPECT_EQ(recorder.Count("BarrierArrive", &barrier), 2);
  EXPECT_EQ(recorder.Count("BarrierDepart", &barrier), 2);

  Queue<int> queue;
  queue.put(1);
  EXPECT_EQ(queue.get(), 1);
  queue.task_done();
  queue.join();
  EXPECT_THAT(recorder.HooksFor(&queue),
              ElementsAre("ObjectCreate", "QueuePut", "QueueGet", "QueueTaskDone", "QueueJoin"));
}

TEST_F(HooksTest, ThreadLifeCycleIsReportedInOrder) {
  Thread t([] {});
  t.start();
  t.join();
  const auto& state = *t.handle().state();
  // join() may or may not have to block, depending on who runs first: ignore Block/Unblock.
  std::vector<std::string> life;
  for (const auto& hook : recorder.HooksFor(&state)) {
    if (hook != "Block" && hook != "Unblock") life.push_back(hook);
  }
  EXPECT_THAT(life, ElementsAre("ThreadCreate", "ThreadStart", "ThreadFinish", "ThreadJoin"));
}

TEST_F(HooksTest, SleepIsReported) {
  racelens::sleep(0);
  EXPECT_EQ(recorder.Count("Sleep"), 1);
}

// Each misuse of DESIGN.md's error table reaches the listeners even when the
// program swallows the exception.
TEST_F(HooksTest, MisuseIsReportedEvenWhenTheExceptionIsCaught) {
  auto swallow = [](auto&& f) {
    try {
      f();
    } catch (const Error&) {
    }
  };
  Lock lock;
  RLock rlock;
  Condition cond;
  BoundedSemaphore bounded(1);
  Semaphore sem(1);
  Queue<int> queue;
  Thread never_started([] {});
  swallow([&] { lock.release(); });
  swallow([&] { rlock.release(); });
  swallow([&] { cond.wait(); });
  swallow([&] { cond.notify(); });
  swallow([&] { bounded.release(); });
  swallow([&] { Semaphore negative(-1); });
  swallow([&] { lock.acquire(false, 1); });
  swallow([&] { sem.acquire(false, 1); });
  swallow([&] { queue.task_done(); });
  swallow([&] { never_started.join(); });
  swallow([&] { current_thread().join(); });
  Thread twice([] {});
  twice.start();
  swallow([&] { twice.start(); });
  twice.join();

  for (const char* message :
       {"release unlocked lock", "cannot release un-acquired lock",
        "cannot wait on un-acquired lock", "cannot notify on un-acquired lock",
        "Semaphore released too many times", "semaphore initial value must be >= 0",
        "can't specify a timeout for a non-blocking call",
        "can't specify timeout for non-blocking acquire", "task_done() called too many times",
        "cannot join thread before it is started", "cannot join current thread",
        "threads can only be started once"}) {
    EXPECT_EQ(recorder.Count(std::string("Misuse:") + message), 1) << message;
  }
}

TEST_F(HooksTest, EveryThreadHasAUniqueRuntimeIdAndAName) {
  EXPECT_EQ(main_thread().runtime_id(), 0);
  EXPECT_EQ(main_thread().name(), "MainThread");
  std::vector<int> ids(4, -1);
  std::vector<std::string> names(4);
  Barrier all_running(4);
  {
    std::deque<Thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&, i] {
        ids[i] = current_thread().runtime_id();
        names[i] = current_thread().name();
        all_running.wait();
      });
      threads.back().start();
    }
    for (auto& t : threads) t.join();
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_GT(ids.front(), 0);
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "runtime ids must differ";
  for (const auto& name : names) EXPECT_THAT(name, ::testing::StartsWith("Thread-"));
}

TEST_F(HooksTest, DisabledHooksReportNothing) {
  detail::g_hooks_enabled.store(false);
  Lock lock;
  lock.acquire();
  lock.release();
  Queue<int> queue;
  queue.put(1);
  queue.get();
  Thread t([] {});
  t.start();
  t.join();
  try {
    lock.release();
  } catch (const RuntimeError&) {
  }
  detail::g_hooks_enabled.store(true);
  EXPECT_TRUE(recorder.records().empty());
}

}  // namespace
}  // namespace racelens
