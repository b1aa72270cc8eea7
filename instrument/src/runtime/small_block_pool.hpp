// runtime/small_block_pool.hpp — recycled memory for the detector's small, short-lived objects.
//
// The clock a queue item carries is allocated by the thread that puts the item and freed by
// the one that gets it: with malloc, each such pair costs a few hundred instructions and,
// across threads, a lock on the putting thread's arena. SmallBlockPool hands out blocks of
// kBlockSize bytes, aligned to a cache line, from a per-thread free list. A thread that frees
// more blocks than it allocates passes them on in batches of kBatch through one shared list
// (a lock taken once per batch), where a thread that allocates more than it frees takes them.
// A thread's cached blocks go to the shared list when it exits. New blocks come kBatch at a
// time in one allocation, which is never returned to the system: the pool holds as many
// blocks as were ever in use at once (rounded up to batches).
//
// Thread-safety: Allocate and Deallocate may be called from any thread; a block may be freed
// by another thread than the one that allocated it. fork() may happen at any time: a batch a
// vanished thread of the parent was moving is lost to the child, never corrupted.
//
// Errors: Allocate throws std::bad_alloc as operator new does.
#pragma once

#include <cstddef>

namespace racelens::detail {

class SmallBlockPool {
 public:
  static constexpr std::size_t kBlockSize = 128;
  static constexpr std::size_t kAlignment = 64;
  static constexpr std::size_t kBatch = 32;

  static void* Allocate();
  static void Deallocate(void* block) noexcept;

  // Blocks in the calling thread's free list, and batches in the shared list.
  static std::size_t CachedByThisThreadForTesting() noexcept;
  static std::size_t SharedBatchesForTesting() noexcept;
};

}  // namespace racelens::detail
