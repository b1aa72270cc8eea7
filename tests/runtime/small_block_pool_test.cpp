// SmallBlockPool: blocks are recycled within a thread, passed between threads in batches,
// and handed back by a thread that exits.
#include "runtime/small_block_pool.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

namespace racelens::detail {
namespace {

using Pool = SmallBlockPool;

std::vector<void*> AllocateMany(std::size_t n) {
  std::vector<void*> blocks;
  for (std::size_t i = 0; i < n; ++i) {
    void* block = Pool::Allocate();
    std::memset(block, 0xab, Pool::kBlockSize);  // the whole block is usable
    blocks.push_back(block);
  }
  return blocks;
}

TEST(SmallBlockPool, BlocksAreAlignedToACacheLineAndDistinct) {
  std::thread([] {
    const std::vector<void*> blocks = AllocateMany(100);
    const std::set<void*> distinct(blocks.begin(), blocks.end());
    EXPECT_EQ(distinct.size(), blocks.size());
    for (void* block : blocks) {
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(block) % Pool::kAlignment, 0u);
    }
    for (void* block : blocks) Pool::Deallocate(block);
  }).join();
}

TEST(SmallBlockPool, AThreadReusesTheBlocksItFreed) {
  std::thread([] {
    void* first = Pool::Allocate();
    const std::size_t cached = Pool::CachedByThisThreadForTesting();
    Pool::Deallocate(first);
    EXPECT_EQ(Pool::CachedByThisThreadForTesting(), cached + 1);
    EXPECT_EQ(Pool::Allocate(), first) << "the last block freed is the next one handed out";
    Pool::Deallocate(first);
  }).join();
}

TEST(SmallBlockPool, AThreadThatOnlyFreesPassesBatchesToOneThatOnlyAllocates) {
  // The producer/consumer shape of queue items: one thread allocates, another frees.
  const std::vector<void*> allocated = AllocateMany(10 * Pool::kBatch);
  std::size_t kept = 0;
  std::size_t shared_after_free = 0;
  std::thread([&] {
    for (void* block : allocated) Pool::Deallocate(block);
    kept = Pool::CachedByThisThreadForTesting();
    shared_after_free = Pool::SharedBatchesForTesting();
  }).join();
  EXPECT_LT(kept, 2 * Pool::kBatch) << "a freeing thread keeps at most two batches";
  EXPECT_GE(shared_after_free, (10 * Pool::kBatch - kept) / Pool::kBatch);
  std::thread([&] {
    // Every block the freeing thread passed on, or flushed at its exit, comes back here.
    const std::set<void*> before(allocated.begin(), allocated.end());
    const std::vector<void*> again = AllocateMany(10 * Pool::kBatch);
    const std::size_t reused = static_cast<std::size_t>(std::count_if(
        again.begin(), again.end(), [&](void* block) { return before.count(block) > 0; }));
    EXPECT_GE(reused, again.size() - Pool::kBatch) << "at most one foreign batch in between";
    for (void* block : again) Pool::Deallocate(block);
  }).join();
}

TEST(SmallBlockPool, AThreadThatOnlyAllocatesHandsItsCachedBlocksBackAtExit) {
  // A producer thread allocates the clocks its queue items carry and never frees one: the rest
  // of the batch it took must go back to the shared list when it exits, not be lost with it.
  const std::vector<void*> seed = AllocateMany(2 * Pool::kBatch);
  std::thread([&] {
    for (void* block : seed) Pool::Deallocate(block);  // the shared list now has batches
  }).join();
  const std::size_t before = Pool::SharedBatchesForTesting();
  ASSERT_GE(before, 1u);
  void* used = nullptr;
  std::size_t cached = 0;
  std::thread([&] {
    used = Pool::Allocate();  // takes a batch from the shared list
    cached = Pool::CachedByThisThreadForTesting();
  }).join();
  EXPECT_GT(cached, 0u);
  EXPECT_GE(Pool::SharedBatchesForTesting(), before) << "the batch's other blocks came back";
  Pool::Deallocate(used);
}

TEST(SmallBlockPool, BlocksCrossThreadsWhileBothRun) {
  // Two threads hand blocks back and forth through a ring, writing each one before passing
  // it on: under ThreadSanitizer and AddressSanitizer this checks the pool's own hand-offs.
  constexpr int kRounds = 20000;
  std::vector<std::atomic<void*>> ring(64);
  std::thread producer([&] {
    for (int i = 0; i < kRounds; ++i) {
      std::atomic<void*>& cell = ring[static_cast<std::size_t>(i) % ring.size()];
      while (cell.load(std::memory_order_acquire) != nullptr) std::this_thread::yield();
      void* block = Pool::Allocate();
      std::memset(block, i & 0xff, Pool::kBlockSize);
      cell.store(block, std::memory_order_release);
    }
  });
  std::thread consumer([&] {
    for (int i = 0; i < kRounds; ++i) {
      std::atomic<void*>& cell = ring[static_cast<std::size_t>(i) % ring.size()];
      void* block;
      while ((block = cell.load(std::memory_order_acquire)) == nullptr) std::this_thread::yield();
      EXPECT_EQ(static_cast<unsigned char*>(block)[Pool::kBlockSize - 1], i & 0xff);
      cell.store(nullptr, std::memory_order_release);
      Pool::Deallocate(block);
    }
  });
  producer.join();
  consumer.join();
}

}  // namespace
}  // namespace racelens::detail
