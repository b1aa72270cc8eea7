#include "runtime/small_block_pool.hpp"

#include <new>

#include "runtime/fork_safe_spin_lock.hpp"

namespace racelens::detail {
namespace {

// A free block, linked into a thread's list or a batch; a batch's first block also links
// the batches of the shared list and knows its batch's length.
struct FreeBlock {
  FreeBlock* next;
  FreeBlock* next_batch;
  std::size_t batch_size;
};
static_assert(sizeof(FreeBlock) <= SmallBlockPool::kBlockSize);

struct ThreadCache {
  FreeBlock* head = nullptr;
  std::size_t count = 0;
  bool flush_registered = false;
  bool exited = false;  // the thread's exit flushed the cache: free straight to the system
};
constinit thread_local ThreadCache t_cache;

struct SharedList {
  ForkSafeSpinLock lock;
  FreeBlock* batches = nullptr;
  std::size_t batch_count = 0;
};
constinit SharedList g_shared;  // trivially destructible: blocks are freed during exit too

void PushBatch(FreeBlock* head, std::size_t size) {
  head->batch_size = size;
  if (g_shared.lock.Lock()) {  // a vanished thread of the parent was moving a batch: drop all
    g_shared.batches = nullptr;
    g_shared.batch_count = 0;
  }
  head->next_batch = g_shared.batches;
  g_shared.batches = head;
  ++g_shared.batch_count;
  g_shared.lock.Unlock();
}

FreeBlock* PopBatch() {
  if (g_shared.lock.Lock()) {
    g_shared.batches = nullptr;
    g_shared.batch_count = 0;
  }
  FreeBlock* head = g_shared.batches;
  if (head != nullptr) {
    g_shared.batches = head->next_batch;
    --g_shared.batch_count;
  }
  g_shared.lock.Unlock();
  return head;
}

// Moves the thread's whole free list to the shared list, in batches of at most kBatch.
void FlushThreadCache() {
  while (t_cache.head != nullptr) {
    FreeBlock* head = t_cache.head;
    FreeBlock* last = head;
    std::size_t size = 1;
    while (size < SmallBlockPool::kBatch && last->next != nullptr) {
      last = last->next;
      ++size;
    }
    t_cache.head = last->next;
    t_cache.count -= size;
    last->next = nullptr;
    PushBatch(head, size);
  }
}

struct ExitFlush {
  ~ExitFlush() {
    FlushThreadCache();
    t_cache.exited = true;
  }
};
thread_local ExitFlush t_exit_flush;

// Before the first block enters this thread's list (by an allocation or a free): the exit
// flush must run at the thread's exit, or the list's blocks are lost with it.
void EnsureExitFlush() {
  if (t_cache.flush_registered) return;
  t_cache.flush_registered = true;
  [[maybe_unused]] ExitFlush& registered = t_exit_flush;  // first use registers its destructor
}

// A batch for this thread: one from the shared list, else a new chunk of kBatch blocks in one
// allocation (never freed: blocks only move between lists). Linked through `next`, the last
// one's null; sets `size`.
FreeBlock* TakeBatch(std::size_t& size) {
  if (FreeBlock* batch = PopBatch()) {
    size = batch->batch_size;
    return batch;
  }
  auto* chunk = static_cast<unsigned char*>(
      ::operator new(SmallBlockPool::kBatch * SmallBlockPool::kBlockSize,
                     std::align_val_t(SmallBlockPool::kAlignment)));
  FreeBlock* head = nullptr;
  for (std::size_t i = SmallBlockPool::kBatch; i-- > 0;) {
    auto* block = reinterpret_cast<FreeBlock*>(chunk + i * SmallBlockPool::kBlockSize);
    block->next = head;
    head = block;
  }
  size = SmallBlockPool::kBatch;
  return head;
}

}  // namespace

void* SmallBlockPool::Allocate() {
  if (t_cache.head == nullptr) {
    std::size_t size = 0;
    FreeBlock* batch = TakeBatch(size);
    if (t_cache.exited) {  // after this thread's exit flush: keep nothing here
      if (batch->next != nullptr) PushBatch(batch->next, size - 1);
      return batch;
    }
    EnsureExitFlush();
    t_cache.head = batch;
    t_cache.count = size;
  }
  FreeBlock* block = t_cache.head;
  t_cache.head = block->next;
  --t_cache.count;
  return block;
}

void SmallBlockPool::Deallocate(void* block) noexcept {
  if (block == nullptr) return;
  if (t_cache.exited) {  // after this thread's exit flush: straight to the shared list
    auto* free_block = static_cast<FreeBlock*>(block);
    free_block->next = nullptr;
    PushBatch(free_block, 1);
    return;
  }
  EnsureExitFlush();
  auto* free_block = static_cast<FreeBlock*>(block);
  free_block->next = t_cache.head;
  t_cache.head = free_block;
  if (++t_cache.count < 2 * kBatch) return;
  // Keep the newest batch (recently used memory), pass the other on.
  FreeBlock* last_kept = t_cache.head;
  for (std::size_t i = 1; i < kBatch; ++i) last_kept = last_kept->next;
  FreeBlock* passed = last_kept->next;
  last_kept->next = nullptr;
  t_cache.count = kBatch;
  PushBatch(passed, kBatch);
}

std::size_t SmallBlockPool::CachedByThisThreadForTesting() noexcept { return t_cache.count; }

std::size_t SmallBlockPool::SharedBatchesForTesting() noexcept {
  (void)g_shared.lock.Lock();
  const std::size_t count = g_shared.batch_count;
  g_shared.lock.Unlock();
  return count;
}

}  // namespace racelens::detail
