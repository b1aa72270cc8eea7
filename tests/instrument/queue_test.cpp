// tests/instrument/queue_test.cpp — a port of CPython's Lib/test/test_queue.py.
//
// Each TEST is named after the Python test it ports: BaseQueueTestMixin runs for
// QueueTest, LifoQueueTest and PriorityQueueTest; BaseSimpleQueueTest becomes
// SimpleQueueTest. Python's string items ('empty', "full") become ints.
//
// Differences from Python:
//   - Timeouts: in racelens -1 (the default) means "wait forever" (Python's None), so Python's
//     `timeout=-1` ValueError checks use `timeout=-2` here; both raise
//     ValueError("'timeout' must be a non-negative number").
//   - _TriggerThread sleeps 0.1 s before unblocking the main thread, only to make it likely that
//     the blocking call really blocked. Tests here never sleep to force an interleaving, so the
//     sleep is gone; the check that stays is the one that can fail: the blocking call must not
//     return before the trigger thread made its call.
//   - test_shrinking_queue: racelens' maxsize is fixed at construction (Python lets a test assign
//     q.maxsize), so only the part before the shrink is ported.
//
// Skipped:
//   - FailingQueueTest.test_failing_queue: monkeypatches Queue._put/_get to throw; racelens
//     queues have no overridable storage hooks.
//   - SimpleQueueTest.test_references: checks with weakref/gc that the queue drops its reference
//     to an item once handed out — Python object lifetimes; C++ moves the item out.
//   - CSimpleQueueTest.test_reentrancy: a put() from a __del__ run by the garbage collector inside
//     put() — specific to the C module and Python's GC.
//   - The Py*/C* duplication (pure-Python vs C `_queue` module): racelens has one implementation.
//   - SimpleQueueTest.test_is_default asserts that the C SimpleQueue is the default; it is ported
//     as a compile-time check that SimpleQueue is its own type, without task tracking.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <mutex>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "racelens/racelens.hpp"

namespace racelens {
namespace {

using ::testing::StrEq;
using ::testing::ThrowsMessage;

constexpr int QUEUE_SIZE = 5;
constexpr const char* kNegativeTimeout = "'timeout' must be a non-negative number";
constexpr const char* kTaskDoneTooManyTimes = "task_done() called too many times";

template <class Q>
bool qfull(const Q& q) {
  return q.maxsize() > 0 && static_cast<std::ptrdiff_t>(q.qsize()) == q.maxsize();
}

// Python's _TriggerThread: runs `fn` once started, after setting startedEvent.
class TriggerThread : public Thread {
 public:
  explicit TriggerThread(std::function<void()> fn) : fn_(std::move(fn)) {}
  ~TriggerThread() override {
    if (ident().has_value()) join();
  }

  Event startedEvent;

 protected:
  void run() override {
    startedEvent.set();
    fn_();
  }

 private:
  std::function<void()> fn_;
};

// BlockingTestMixin.do_blocking_test: `block_func` must not return before `trigger_func` was
// called from another thread. Returns block_func's result.
template <class BlockFunc>
auto do_blocking_test(BlockFunc block_func, std::function<void()> trigger_func) {
  TriggerThread thread(std::move(trigger_func));
  thread.start();
  if constexpr (std::is_void_v<decltype(block_func())>) {
    block_func();
    EXPECT_TRUE(thread.startedEvent.is_set()) << "blocking function appeared not to block";
    thread.join();
  } else {
    auto result = block_func();
    EXPECT_TRUE(thread.startedEvent.is_set()) << "blocking function appeared not to block";
    thread.join();
    return result;
  }
}

template <class Q>
std::vector<int> TargetOrder();
template <>
std::vector<int> TargetOrder<Queue<int>>() {
  return {111, 333, 222};
}
template <>
std::vector<int> TargetOrder<LifoQueue<int>>() {
  return {222, 333, 111};
}
template <>
std::vector<int> TargetOrder<PriorityQueue<int>>() {
  return {111, 222, 333};
}

// BaseQueueTestMixin.basic_queue_test.
template <class Q>
void basic_queue_test(Q& q) {
  ASSERT_EQ(q.qsize(), 0u) << "Call this function with an empty queue";
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(q.full());
  // I guess we better check things actually queue correctly a little :)
  q.put(111);
  q.put(333);
  q.put(222);
  std::vector<int> actual_order;
  actual_order.push_back(q.get());
  actual_order.push_back(q.get());
  actual_order.push_back(q.get());
  EXPECT_EQ(actual_order, TargetOrder<Q>()) << "Didn't seem to queue the correct data!";
  for (int i = 0; i < QUEUE_SIZE - 1; ++i) {
    q.put(i);
    EXPECT_NE(q.qsize(), 0u) << "Queue should not be empty";
  }
  EXPECT_FALSE(qfull(q)) << "Queue should not be full";
  const int last = 2 * QUEUE_SIZE;
  const int full = 3 * 2 * QUEUE_SIZE;
  q.put(last);
  EXPECT_TRUE(qfull(q)) << "Queue should be full";
  EXPECT_FALSE(q.empty());
  EXPECT_TRUE(q.full());
  try {
    q.put(full, /*block=*/false);
    ADD_FAILURE() << "Didn't appear to block with a full queue";
  } catch (const Full& e) {
    EXPECT_STREQ(e.what(), "");
  }
  try {
    q.put(full, true, /*timeout=*/0.01);
    ADD_FAILURE() << "Didn't appear to time-out with a full queue";
  } catch (const Full& e) {
    EXPECT_STREQ(e.what(), "");
  }
  // Test a blocking put
  do_blocking_test([&] { q.put(full); }, [&] { q.get(); });
  do_blocking_test([&] { q.put(full, true, 10); }, [&] { q.get(); });
  // Empty it
  for (int i = 0; i < QUEUE_SIZE; ++i) q.get();
  EXPECT_EQ(q.qsize(), 0u) << "Queue should be empty";
  try {
    q.get(/*block=*/false);
    ADD_FAILURE() << "Didn't appear to block with an empty queue";
  } catch (const Empty& e) {
    EXPECT_STREQ(e.what(), "");
  }
  try {
    q.get(true, /*timeout=*/0.01);
    ADD_FAILURE() << "Didn't appear to time-out with an empty queue";
  } catch (const Empty& e) {
    EXPECT_STREQ(e.what(), "");
  }
  // Test a blocking get
  constexpr int kEmpty = -7;  // Python's 'empty'
  EXPECT_EQ(do_blocking_test([&] { return q.get(); }, [&] { q.put(kEmpty); }), kEmpty);
  EXPECT_EQ(do_blocking_test([&] { return q.get(true, 10); }, [&] { q.put(kEmpty); }), kEmpty);
}

// BaseQueueTestMixin.worker and queue_join_test.
template <class Q>
class QueueJoinTester {
 public:
  void worker(Q& q) {
    while (true) {
      const int x = q.get();
      if (x < 0) {
        q.task_done();
        return;
      }
      {
        std::lock_guard with(cumlock);
        cum += x;
      }
      q.task_done();
    }
  }

  void queue_join_test(Q& q) {
    cum = 0;
    std::deque<Thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([this, &q] { worker(q); });
      threads.back().start();
    }
    for (int i = 0; i < 100; ++i) q.put(i);
    q.join();
    {
      std::lock_guard with(cumlock);
      EXPECT_EQ(cum, 4950) << "q.join() did not block until all tasks were done";
    }
    for (int i = 0; i < 2; ++i) q.put(-1);  // instruct the threads to close
    q.join();                               // verify that you can join twice
    for (auto& thread : threads) thread.join();
  }

  int cum = 0;
  Lock cumlock;
};

template <class Q>
void test_queue_task_done() {
  // Test to make sure a queue task completed successfully.
  Q q;
  EXPECT_THAT([&] { q.task_done(); }, ThrowsMessage<ValueError>(StrEq(kTaskDoneTooManyTimes)))
      << "Did not detect task count going negative";
}

template <class Q>
void test_queue_join() {
  // Test that a queue join()s successfully, and before anything else
  // (done twice for insurance).
  Q q;
  QueueJoinTester<Q> tester;
  tester.queue_join_test(q);
  tester.queue_join_test(q);
  EXPECT_THAT([&] { q.task_done(); }, ThrowsMessage<ValueError>(StrEq(kTaskDoneTooManyTimes)))
      << "Did not detect task count going negative";
}

template <class Q>
void test_basic() {
  // Do it a couple of times on the same queue.
  // Done twice to make sure works with same instance reused.
  Q q(QUEUE_SIZE);
  basic_queue_test(q);
  basic_queue_test(q);
}

template <class Q>
void test_negative_timeout_raises_exception() {
  // Python passes timeout=-1; in racelens -1 means "wait forever", so -2 stands in for it.
  Q q(QUEUE_SIZE);
  EXPECT_THAT([&] { q.put(1, true, -2); }, ThrowsMessage<ValueError>(StrEq(kNegativeTimeout)));
  EXPECT_THAT([&] { q.get(true, -2); }, ThrowsMessage<ValueError>(StrEq(kNegativeTimeout)));
}

template <class Q>
void test_nowait() {
  Q q(QUEUE_SIZE);
  for (int i = 0; i < QUEUE_SIZE; ++i) q.put_nowait(1);
  EXPECT_THROW(q.put_nowait(1), Full);

  for (int i = 0; i < QUEUE_SIZE; ++i) q.get_nowait();
  EXPECT_THROW(q.get_nowait(), Empty);
}

template <class Q>
void test_shrinking_queue() {
  // issue 10110
  Q q(3);
  q.put(1);
  q.put(2);
  q.put(3);
  EXPECT_THROW(q.put_nowait(4), Full);
  EXPECT_EQ(q.qsize(), 3u);
  // Python continues with `q.maxsize = 2` and expects Full again; racelens' maxsize is fixed.
  EXPECT_TRUE(q.full());
  EXPECT_THROW(q.put_nowait(4), Full);
}

// Not in test_queue.py: -1 is the racelens spelling of Python's timeout=None, so it must never
// raise, on put and get alike.
template <class Q>
void test_minus_one_timeout_waits_forever() {
  Q q(QUEUE_SIZE);
  EXPECT_NO_THROW(q.put(1, true, -1));
  EXPECT_EQ(q.get(true, -1), 1);
  for (int i = 0; i < QUEUE_SIZE; ++i) q.put(i);
  do_blocking_test([&] { q.put(99, true, -1); }, [&] { q.get(); });
  for (int i = 0; i < QUEUE_SIZE; ++i) q.get();
  EXPECT_EQ(do_blocking_test([&] { return q.get(true, -1); }, [&] { q.put(42); }), 42);
}

#define RACELENS_BASE_QUEUE_TESTS(Suite, Type)                        \
  TEST(Suite, test_queue_task_done) { test_queue_task_done<Type>(); } \
  TEST(Suite, test_queue_join) { test_queue_join<Type>(); }           \
  TEST(Suite, test_basic) { test_basic<Type>(); }                     \
  TEST(Suite, test_negative_timeout_raises_exception) {               \
    test_negative_timeout_raises_exception<Type>();                   \
  }                                                                   \
  TEST(Suite, test_nowait) { test_nowait<Type>(); }                   \
  TEST(Suite, test_shrinking_queue) { test_shrinking_queue<Type>(); } \
  TEST(Suite, test_minus_one_timeout_waits_forever) {                 \
    test_minus_one_timeout_waits_forever<Type>();                     \
  }

RACELENS_BASE_QUEUE_TESTS(QueueTest, Queue<int>)
RACELENS_BASE_QUEUE_TESTS(LifoQueueTest, LifoQueue<int>)
RACELENS_BASE_QUEUE_TESTS(PriorityQueueTest, PriorityQueue<int>)

// --- BaseSimpleQueueTest -------------------------------------------------------------------

// Python uses None as the sentinel; std::nullopt plays that part.
using Item = std::optional<int>;
using SQ = SimpleQueue<Item>;

// The shared input list the feeders pop from (a Python list, safe under the GIL).
class Seq {
 public:
  explicit Seq(std::vector<int> inputs) : items_(std::move(inputs)) {
    std::reverse(items_.begin(), items_.end());
  }
  std::optional<int> pop() {
    std::lock_guard with(lock_);
    if (items_.empty()) return std::nullopt;  // IndexError
    const int v = items_.back();
    items_.pop_back();
    return v;
  }

 private:
  Lock lock_;
  std::vector<int> items_;
};

class Results {
 public:
  void append(int v) {
    std::lock_guard with(lock_);
    items_.push_back(v);
  }
  std::vector<int> take() {
    std::lock_guard with(lock_);
    return std::move(items_);
  }

 private:
  Lock lock_;
  std::vector<int> items_;
};

void feed(SQ& q, Seq& seq, std::mt19937& rnd) {
  std::uniform_real_distribution<double> random(0.0, 1.0);
  while (true) {
    const std::optional<int> val = seq.pop();
    if (!val) {
      q.put(std::nullopt);  // sentinel
      return;
    }
    q.put(*val);
    // Python's jitter, which varies the interleaving without deciding it.
    if (random(rnd) > 0.5) racelens::sleep(random(rnd) * 1e-3);
  }
}

void consume(SQ& q, Results& results) {
  while (true) {
    const Item val = q.get();
    if (!val) return;
    results.append(*val);
  }
}

void consume_nonblock(SQ& q, Results& results) {
  while (true) {
    Item val;
    while (true) {
      try {
        val = q.get(/*block=*/false);
      } catch (const Empty&) {
        racelens::sleep(1e-5);
        continue;
      }
      break;
    }
    if (!val) return;
    results.append(*val);
  }
}

void consume_timeout(SQ& q, Results& results) {
  while (true) {
    Item val;
    while (true) {
      try {
        val = q.get(true, /*timeout=*/1e-5);
      } catch (const Empty&) {
        continue;
      }
      break;
    }
    if (!val) return;
    results.append(*val);
  }
}

using ConsumeFunc = void (*)(SQ&, Results&);

std::vector<int> run_threads(int n_threads, SQ& q, const std::vector<int>& inputs,
                             ConsumeFunc consume_func) {
  Results results;
  Seq seq(inputs);
  Lock exceptions_lock;
  std::vector<std::string> exceptions;
  auto log_exceptions = [&](const std::function<void()>& f) {
    try {
      f();
    } catch (const std::exception& e) {
      std::lock_guard with(exceptions_lock);
      exceptions.emplace_back(e.what());
    }
  };

  std::deque<Thread> threads;
  for (int i = 0; i < n_threads; ++i) {
    threads.emplace_back([&, i] {
      std::mt19937 rnd(42 + i);
      log_exceptions([&] { feed(q, seq, rnd); });
    });
  }
  for (int i = 0; i < n_threads; ++i) {
    threads.emplace_back([&] { log_exceptions([&] { consume_func(q, results); }); });
  }
  for (auto& t : threads) t.start();
  for (auto& t : threads) t.join();

  EXPECT_THAT(exceptions, ::testing::IsEmpty());
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.qsize(), 0u);
  return results.take();
}

std::vector<int> Range(int n) {
  std::vector<int> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

std::vector<int> Sorted(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(SimpleQueueTest, test_basic) {
  // Basic tests for get(), put() etc.
  SimpleQueue<int> q;
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.qsize(), 0u);
  q.put(1);
  EXPECT_FALSE(q.empty());
  EXPECT_EQ(q.qsize(), 1u);
  q.put(2);
  q.put_nowait(3);
  q.put(4);
  EXPECT_FALSE(q.empty());
  EXPECT_EQ(q.qsize(), 4u);

  EXPECT_EQ(q.get(), 1);
  EXPECT_EQ(q.qsize(), 3u);

  EXPECT_EQ(q.get_nowait(), 2);
  EXPECT_EQ(q.qsize(), 2u);

  EXPECT_EQ(q.get(/*block=*/false), 3);
  EXPECT_FALSE(q.empty());
  EXPECT_EQ(q.qsize(), 1u);

  EXPECT_EQ(q.get(true, /*timeout=*/0.1), 4);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.qsize(), 0u);

  EXPECT_THAT([&] { q.get(/*block=*/false); }, ThrowsMessage<Empty>(StrEq("")));
  EXPECT_THAT([&] { q.get(true, /*timeout=*/1e-3); }, ThrowsMessage<Empty>(StrEq("")));
  EXPECT_THAT([&] { q.get_nowait(); }, ThrowsMessage<Empty>(StrEq("")));
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.qsize(), 0u);
}

TEST(SimpleQueueTest, test_negative_timeout_raises_exception) {
  // Python passes timeout=-1; in racelens -1 means "wait forever", so -2 stands in for it.
  SimpleQueue<int> q;
  q.put(1);
  EXPECT_THAT([&] { q.get(true, -2); }, ThrowsMessage<ValueError>(StrEq(kNegativeTimeout)));
}

TEST(SimpleQueueTest, test_order) {
  // Test a pair of concurrent put() and get()
  SQ q;
  const std::vector<int> inputs = Range(100);
  const std::vector<int> results = run_threads(1, q, inputs, consume);

  // One producer, one consumer => results appended in well-defined order
  EXPECT_EQ(results, inputs);
}

TEST(SimpleQueueTest, test_many_threads) {
  // Test multiple concurrent put() and get()
  constexpr int N = 50;
  SQ q;
  const std::vector<int> inputs = Range(10000);
  const std::vector<int> results = run_threads(N, q, inputs, consume);

  // Multiple consumers without synchronization append the
  // results in random order
  EXPECT_EQ(Sorted(results), inputs);
}

TEST(SimpleQueueTest, test_many_threads_nonblock) {
  // Test multiple concurrent put() and get(block=False)
  constexpr int N = 50;
  SQ q;
  const std::vector<int> inputs = Range(10000);
  const std::vector<int> results = run_threads(N, q, inputs, consume_nonblock);

  EXPECT_EQ(Sorted(results), inputs);
}

TEST(SimpleQueueTest, test_many_threads_timeout) {
  // Test multiple concurrent put() and get(timeout=...)
  constexpr int N = 50;
  SQ q;
  const std::vector<int> inputs = Range(1000);
  const std::vector<int> results = run_threads(N, q, inputs, consume_timeout);

  EXPECT_EQ(Sorted(results), inputs);
}

template <class Q>
concept HasTaskTracking = requires(Q& q) {
  q.task_done();
  q.join();
  q.maxsize();
};

TEST(SimpleQueueTest, test_is_default) {
  // Python checks that the C SimpleQueue is the module's default. racelens has one
  // SimpleQueue: check that it is its own type — unbounded, without task tracking — and not a
  // Queue in disguise.
  static_assert(!std::is_base_of_v<Queue<int>, SimpleQueue<int>>);
  static_assert(!HasTaskTracking<SimpleQueue<int>>);
  static_assert(HasTaskTracking<Queue<int>>);
  SimpleQueue<int> q;
  for (int i = 0; i < 1000; ++i) q.put(i, /*block=*/false);  // unbounded: never Full
  EXPECT_EQ(q.qsize(), 1000u);
}

}  // namespace
}  // namespace racelens
