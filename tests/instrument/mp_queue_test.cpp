// tests/instrument/mp_queue_test.cpp — racelens::mp::Queue and JoinableQueue against Python's
// multiprocessing.Queue: the behaviours of _test_multiprocessing's _TestQueue (each TEST named
// after its CPython counterpart where one exists), closed queues, whole items under concurrent
// writers, large items, and the detector's put -> get edge between threads of one process.
// Orderings are forced with queues and pipes, never with sleeps; no timing is asserted.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "racelens/detail/pipe_channel.hpp"
#include "racelens/mp_queue.hpp"
#include "racelens/process.hpp"
#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"
#include "runtime/report_sink.hpp"
#include "runtime/runtime.hpp"

namespace racelens {
namespace {

constexpr double kTimeout1 = 0.01;  // CPython's TIMEOUT1..3: short waits that must expire
constexpr double kTimeout2 = 0.02;
constexpr double kTimeout3 = 0.03;

ProcessOptions Daemon() { return ProcessOptions{.name = "", .daemon = true}; }

// test_put
TEST(MpQueueTest, Put) {
  constexpr int kMaxsize = 6;
  mp::Queue<int> queue(kMaxsize);
  mp::Queue<int> child_can_start;
  mp::Queue<int> parent_can_continue;
  Process proc(Daemon(), [&] {
    child_can_start.get();
    for (int i = 0; i < 6; ++i) queue.get();
    parent_can_continue.put(1);
  });
  proc.start();

  EXPECT_TRUE(queue.empty());
  EXPECT_FALSE(queue.full());

  queue.put(1);
  queue.put(2, true);
  queue.put(3, true, -1);
  queue.put(4, false);
  queue.put(5, false, -1);
  queue.put_nowait(6);

  EXPECT_FALSE(queue.empty());
  EXPECT_TRUE(queue.full());

  EXPECT_THROW(queue.put(7, false), Full);
  EXPECT_THROW(queue.put(7, false, -1), Full);
  EXPECT_THROW(queue.put_nowait(7), Full);
  EXPECT_THROW(queue.put(7, true, kTimeout1), Full);
  EXPECT_THROW(queue.put(7, false, kTimeout2), Full);
  EXPECT_THROW(queue.put(7, true, kTimeout3), Full);

  child_can_start.put(1);
  parent_can_continue.get();

  EXPECT_TRUE(queue.empty());
  EXPECT_FALSE(queue.full());
  proc.join();
  EXPECT_EQ(proc.exitcode(), 0);
}

// test_get
TEST(MpQueueTest, Get) {
  mp::Queue<int> queue;
  mp::Queue<int> child_can_start;
  mp::Queue<int> parent_can_continue;
  Process proc(Daemon(), [&] {
    child_can_start.get();
    queue.put(2);
    queue.put(3);
    queue.put(4);
    queue.put(5);
    parent_can_continue.put(1);
  });
  proc.start();

  EXPECT_TRUE(queue.empty());
  child_can_start.put(1);
  parent_can_continue.get();
  EXPECT_FALSE(queue.empty());

  EXPECT_EQ(queue.get(true, -1), 2);
  EXPECT_EQ(queue.get(true), 3);
  EXPECT_EQ(queue.get(true, 1), 4);
  EXPECT_EQ(queue.get_nowait(), 5);
  EXPECT_TRUE(queue.empty());

  EXPECT_THROW(queue.get(false), Empty);
  EXPECT_THROW(queue.get(false, -1), Empty);
  EXPECT_THROW(queue.get_nowait(), Empty);
  EXPECT_THROW(queue.get(true, kTimeout1), Empty);
  EXPECT_THROW(queue.get(false, kTimeout2), Empty);
  EXPECT_THROW(queue.get(true, kTimeout3), Empty);
  proc.join();
}

// test_fork: items put before and after the fork, by parent and child, all arrive in order.
TEST(MpQueueTest, Fork) {
  mp::Queue<int> queue;
  for (int i = 0; i < 10; ++i) queue.put(i);
  Process p(Daemon(), [&queue] {
    for (int i = 10; i < 20; ++i) queue.put(i);
  });
  p.start();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(queue.get(), i);
  EXPECT_THROW(queue.get(false), Empty);
  p.join();
}

// test_qsize
TEST(MpQueueTest, Qsize) {
  mp::Queue<int> q;
  EXPECT_EQ(q.qsize(), 0u);
  q.put(1);
  EXPECT_EQ(q.qsize(), 1u);
  q.put(5);
  EXPECT_EQ(q.qsize(), 2u);
  q.get();
  EXPECT_EQ(q.qsize(), 1u);
  q.get();
  EXPECT_EQ(q.qsize(), 0u);
}

// test_task_done: four worker processes; -1 plays Python's None.
TEST(MpQueueTest, TaskDone) {
  mp::JoinableQueue<int> queue;
  std::vector<std::unique_ptr<Process>> workers;
  for (int i = 0; i < 4; ++i) {
    workers.push_back(std::make_unique<Process>(Daemon(), [&queue] {
      for (int obj = queue.get(); obj != -1; obj = queue.get()) queue.task_done();
    }));
  }
  for (auto& p : workers) p->start();
  for (int i = 0; i < 10; ++i) queue.put(i);
  queue.join();
  for (std::size_t i = 0; i < workers.size(); ++i) queue.put(-1);
  for (auto& p : workers) p->join();
  for (auto& p : workers) EXPECT_EQ(p->exitcode(), 0);
}

TEST(MpQueueTest, TaskDoneTooManyTimesRaises) {
  mp::JoinableQueue<int> queue;
  queue.put(1);
  queue.get();
  queue.task_done();
  try {
    queue.task_done();
    ADD_FAILURE() << "task_done() past the puts did not raise";
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "task_done() called too many times");
  }
}

TEST(MpQueueTest, JoinWaitsForTaskDoneInAnotherProcess) {
  mp::JoinableQueue<std::string> queue;
  queue.put("work");
  Process worker([&queue] {
    if (queue.get() != "work") ::_exit(2);
    queue.task_done();
  });
  worker.start();
  queue.join();
  worker.join();
  EXPECT_EQ(worker.exitcode(), 0);
}

// test_timeout (without its timing assertion).
TEST(MpQueueTest, Timeout) {
  mp::Queue<int> q;
  EXPECT_THROW(q.get(true, 0.2), Empty);
}

TEST(MpQueueTest, NegativeTimeoutRaises) {
  mp::Queue<int> q(1);
  try {
    q.get(true, -2);
    ADD_FAILURE() << "a negative timeout did not raise";
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "'timeout' must be a non-negative number");
  }
}

// test_closed_queue_put_get_exceptions
TEST(MpQueueTest, ClosedQueuePutGetExceptions) {
  mp::Queue<std::string> q;
  q.close();
  EXPECT_THROW(q.put("foo"), ValueError);
  EXPECT_THROW(q.get(), ValueError);
  mp::JoinableQueue<std::string> jq;
  jq.close();
  try {
    jq.put("foo");
    ADD_FAILURE() << "put() on a closed queue did not raise";
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "Queue is closed");
  }
}

TEST(MpQueueTest, BlockedGetWakesWhenAChildPuts) {
  mp::Queue<std::string> queue;
  Process p([&queue] { queue.put("from the child"); });
  p.start();
  EXPECT_EQ(queue.get(), "from the child");
  p.join();
}

TEST(MpQueueTest, ConcurrentWritersNeverInterleaveItems) {
  constexpr int kWriters = 4;
  constexpr int kItems = 100;
  mp::Queue<std::string> queue;
  std::vector<std::unique_ptr<Process>> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.push_back(std::make_unique<Process>([&queue, w] {
      for (int i = 0; i < kItems; ++i) queue.put(std::string(10000, static_cast<char>('a' + w)));
    }));
  }
  for (auto& p : writers) p->start();
  std::vector<int> counts(kWriters, 0);
  for (int n = 0; n < kWriters * kItems; ++n) {
    const std::string item = queue.get();
    ASSERT_EQ(item.size(), 10000u);
    ASSERT_EQ(item.find_first_not_of(item[0]), std::string::npos) << "an item was interleaved";
    ++counts[item[0] - 'a'];
  }
  for (auto& p : writers) p->join();
  for (int c : counts) EXPECT_EQ(c, kItems);
}

TEST(MpQueueTest, ItemLargerThanThePipeCrossesIntact) {
  mp::Queue<std::vector<int>> queue;
  constexpr std::size_t kInts = 4u << 20;  // 16 MiB
  Process p([&queue] {
    std::vector<int> big(kInts);
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<int>(i * 7);
    queue.put(big);
  });
  p.start();
  const std::vector<int> got = queue.get();
  p.join();
  ASSERT_EQ(got.size(), kInts);
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (got[i] != static_cast<int>(i * 7)) FAIL() << "item differs at " << i;
  }
}

TEST(MpQueueTest, AProcessKilledWhileWaitingDoesNotHangTheQueue) {
  mp::Queue<int> queue;
  mp::Queue<int> waiting;
  Process p([&] {
    waiting.put(1);
    queue.get();
  });
  p.start();
  waiting.get();
  p.kill();
  p.join();
  queue.put(5);
  EXPECT_EQ(queue.get(), 5);
}

// --- the detector: put -> get orders two threads of one process ------------------------------

TEST(MpQueueDetectorTest, QueueOrdersAWriteBeforeTheRead) {
  detail::ReportSink* sink = detail::RuntimeSink();
  if (sink == nullptr) GTEST_SKIP() << "the detector is off (detect=0)";
  const int before = sink->reported();
  Shared<int> value{0, "value"};
  mp::Queue<int> queue;
  Thread writer([&] {
    value = 1;
    queue.put(1);
  });
  writer.start();
  queue.get();
  EXPECT_EQ(value.load(), 1);
  writer.join();
  EXPECT_EQ(sink->reported(), before) << "the put -> get edge was missed";
}

TEST(MpQueueDetectorTest, WithoutTheQueueTheSameAccessesRace) {
  detail::ReportSink* sink = detail::RuntimeSink();
  if (sink == nullptr) GTEST_SKIP() << "the detector is off (detect=0)";
  const int before = sink->reported();
  Shared<int> value{0, "value"};
  std::atomic<bool> written{false};  // orders in time, invisible to the detector
  Thread writer([&] {
    value = 1;
    written.store(true, std::memory_order_release);
  });
  writer.start();
  while (!written.load(std::memory_order_acquire)) std::this_thread::yield();
  EXPECT_EQ(value.load(), 1);
  writer.join();
  EXPECT_EQ(sink->reported(), before + 1);
}

}  // namespace
}  // namespace racelens
