// tests/instrument/work_queue_test.cpp — the thread pool's task FIFO (detail/work_queue.hpp):
// order, counts, ownership, and many producers with many consumers (every item taken exactly
// once, each producer's items in the order it pushed them). Threads start together behind a
// latch so that pushes and pops overlap; under the tsan preset this also checks that a pushed
// item's contents are visible to the thread that pops it.

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

#include "racelens/detail/future_core.hpp"
#include "racelens/detail/work_queue.hpp"

namespace racelens::detail {
namespace {

class TestItem final : public WorkItem {
 public:
  TestItem(int producer, int sequence) : producer(producer), sequence(sequence) {}
  bool Execute() override { return true; }
  void Publish(FutureCore::Callbacks&) override {}
  FutureCore& Future() override { return future_; }

  const int producer;  // plain fields: written before Push, read after Pop
  const int sequence;

 private:
  FutureCell<void> future_;
};

std::shared_ptr<WorkItem> Item(int producer, int sequence) {
  return std::make_shared<TestItem>(producer, sequence);
}

const TestItem& AsTest(const std::shared_ptr<WorkItem>& item) {
  return static_cast<const TestItem&>(*item);
}

TEST(WorkQueueTest, PopsInPushOrderAndCounts) {
  WorkQueue queue;
  EXPECT_EQ(queue.size(), 0U);
  EXPECT_EQ(queue.Pop(), nullptr);
  EXPECT_TRUE(queue.Push(Item(0, 1)));  // onto the empty queue
  EXPECT_FALSE(queue.Push(Item(0, 2)));
  EXPECT_FALSE(queue.Push(Item(0, 3)));
  EXPECT_EQ(queue.size(), 3U);
  for (int expected = 1; expected <= 3; ++expected) {
    auto item = queue.Pop();
    ASSERT_NE(item, nullptr);
    EXPECT_EQ(AsTest(item).sequence, expected);
  }
  EXPECT_EQ(queue.size(), 0U);
  EXPECT_EQ(queue.Pop(), nullptr);
  EXPECT_TRUE(queue.Push(Item(0, 4)));  // empty again: the stub was relinked correctly
  ASSERT_NE(queue.Pop(), nullptr);
}

TEST(WorkQueueTest, HoldsAReferenceWhileQueuedAndReleasesItOnPopAndDestruction) {
  auto item = Item(0, 1);
  std::weak_ptr<WorkItem> watched = item;
  {
    WorkQueue queue;
    queue.Push(std::move(item));
    EXPECT_FALSE(watched.expired());  // the queue's reference keeps it alive
    auto popped = queue.Pop();
    EXPECT_EQ(popped.use_count(), 1);  // the queue's reference moved to the caller
    queue.Push(std::move(popped));
  }
  EXPECT_TRUE(watched.expired());  // the destroyed queue released what it held
}

TEST(WorkQueueTest, PopAllTakesEverythingInOrder) {
  WorkQueue queue;
  for (int i = 0; i < 5; ++i) queue.Push(Item(0, i));
  auto items = queue.PopAll();
  ASSERT_EQ(items.size(), 5U);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(AsTest(items[static_cast<std::size_t>(i)]).sequence, i);
  EXPECT_EQ(queue.size(), 0U);
}

TEST(WorkQueueTest, ManyProducersAndConsumersTakeEveryItemOnceInEachProducersOrder) {
  constexpr int kProducers = 3;
  constexpr int kConsumers = 2;
  constexpr int kPerProducer = 20'000;
  WorkQueue queue;
  std::latch start(kProducers + kConsumers);
  std::atomic<int> taken{0};
  // received[c][p]: the sequences consumer c took from producer p, in the order it took them.
  std::vector<std::vector<std::vector<int>>> received(kConsumers,
                                                      std::vector<std::vector<int>>(kProducers));
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      start.arrive_and_wait();
      for (int i = 0; i < kPerProducer; ++i) queue.Push(Item(p, i));
    });
  }
  for (int c = 0; c < kConsumers; ++c) {
    threads.emplace_back([&, c] {
      start.arrive_and_wait();
      while (taken.load() < kProducers * kPerProducer) {
        if (auto item = queue.Pop()) {
          received[static_cast<std::size_t>(c)][static_cast<std::size_t>(AsTest(item).producer)]
              .push_back(AsTest(item).sequence);
          taken.fetch_add(1);
        } else {
          std::this_thread::yield();
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(queue.size(), 0U);
  for (int p = 0; p < kProducers; ++p) {
    std::vector<int> seen(kPerProducer, 0);
    for (int c = 0; c < kConsumers; ++c) {
      const auto& got = received[static_cast<std::size_t>(c)][static_cast<std::size_t>(p)];
      for (std::size_t k = 0; k < got.size(); ++k) {
        ++seen[static_cast<std::size_t>(got[k])];
        if (k > 0) {
          ASSERT_LT(got[k - 1], got[k])
              << "consumer " << c << " took producer " << p << "'s items out of order";
        }
      }
    }
    for (int i = 0; i < kPerProducer; ++i) {
      ASSERT_EQ(seen[static_cast<std::size_t>(i)], 1)
          << "item " << i << " of producer " << p << " was taken "
          << seen[static_cast<std::size_t>(i)] << " times";
    }
  }
}

}  // namespace
}  // namespace racelens::detail
