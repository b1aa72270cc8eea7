// runtime/stack_depot.cpp — see stack_depot.hpp.
//
// Layout (all of it static, zero-initialised, never freed):
//   - a fixed hash table of kBuckets singly-linked chains of immutable Nodes;
//     a Node is published with a release store of the chain head and read with
//     acquire loads, so lookups take no lock;
//   - inserts take g_insert_mutex, re-scan the chain and push a new Node, so a
//     stack is never stored twice and ids are dense (1, 2, 3, ...);
//   - an id → Node table in chunks of kIdChunkSize atomic pointers, allocated
//     on first use;
//   - Nodes and chunks come from an mmap'd bump arena guarded by the mutex (no
//     malloc: no lock order with the allocator, and fork() only needs this mutex
//     held across it).
#include "runtime/stack_depot.hpp"

#include <execinfo.h>
#include <link.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <iterator>
#include <mutex>
#include <new>

namespace racelens::detail {
namespace {

constexpr std::size_t kBucketBits = 16;
constexpr std::size_t kBuckets = std::size_t{1} << kBucketBits;
constexpr std::size_t kIdChunkBits = 12;
constexpr std::size_t kIdChunkSize = std::size_t{1} << kIdChunkBits;
constexpr std::size_t kIdChunks = kMaxStackIds / kIdChunkSize;
constexpr std::size_t kArenaBlockSize = std::size_t{1} << 18;
constexpr int kMaxSkip = 32;
// Frames of CaptureStack itself and of the unwinder above the caller's frame.
constexpr int kMaxOwnFrames = 8;

// A stored stack; the pcs follow the header in the same allocation.
struct Node {
  const Node* next;  // immutable once published
  std::uint64_t hash;
  StackId id;
  std::uint32_t size;

  std::uintptr_t* pcs() { return reinterpret_cast<std::uintptr_t*>(this + 1); }
  const std::uintptr_t* pcs() const { return reinterpret_cast<const std::uintptr_t*>(this + 1); }
};
static_assert(sizeof(Node) % alignof(std::uintptr_t) == 0);

using IdChunk = std::atomic<const Node*>;

constinit std::atomic<const Node*> g_buckets[kBuckets]{};
constinit std::atomic<IdChunk*> g_id_chunks[kIdChunks]{};
constinit std::atomic<std::uint32_t> g_size{0};  // ids handed out so far

// Guards inserts and the arena.
constinit std::mutex g_insert_mutex;
constinit char* g_arena_next = nullptr;
constinit std::size_t g_arena_left = 0;

class CodeSegments;

// The table of code segments (CodeSegments below), built by the first capture. Not a
// function-local static: a fork() while another thread ran its constructor would leave the
// child waiting for ever on the static's guard, which only that thread (absent in the child)
// could release. A child forked while the table was being built builds its own.
constinit std::atomic<const CodeSegments*> g_code_segments{nullptr};
constinit std::atomic<bool> g_code_segments_building{false};
constinit std::atomic<void (*)()> g_code_segments_build_hook{nullptr};

// A fork() while another thread inserts would leave the child's mutex locked
// for good (racelens::Process forks): hold it across fork().
[[maybe_unused]] const int g_atfork_registered =
    ::pthread_atfork([] { g_insert_mutex.lock(); }, [] { g_insert_mutex.unlock(); },
                     [] {
                       g_insert_mutex.unlock();
                       g_code_segments_building.store(false, std::memory_order_relaxed);
                     });

// Memory that is never freed, zeroed, aligned to 16 bytes; nullptr when the OS
// refuses. Call with g_insert_mutex held.
void* ArenaAllocate(std::size_t bytes) {
  bytes = (bytes + 15) & ~std::size_t{15};
  if (bytes > g_arena_left) {
    const std::size_t block = std::max(bytes, kArenaBlockSize);
    void* memory =
        ::mmap(nullptr, block, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) return nullptr;
    g_arena_next = static_cast<char*>(memory);
    g_arena_left = block;
  }
  void* result = g_arena_next;
  g_arena_next += bytes;
  g_arena_left -= bytes;
  return result;
}

std::uint64_t Mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// One multiply per frame (the hash is on the capture path of every tracked
// access), one full mix at the end.
std::uint64_t Hash(std::span<const std::uintptr_t> pcs) {
  std::uint64_t h = pcs.size();
  for (const std::uintptr_t pc : pcs) {
    h = (h ^ pc) * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 32;
  }
  return Mix(h);
}

bool Matches(const Node& node, std::uint64_t hash, std::span<const std::uintptr_t> pcs) {
  return node.hash == hash && node.size == pcs.size() &&
         std::memcmp(node.pcs(), pcs.data(), pcs.size_bytes()) == 0;
}

const Node* Find(const Node* head, std::uint64_t hash, std::span<const std::uintptr_t> pcs) {
  for (const Node* node = head; node != nullptr; node = node->next) {
    if (Matches(*node, hash, pcs)) return node;
  }
  return nullptr;
}

// The slot of `id` in the id table, allocating its chunk; nullptr when out of
// memory. Call with g_insert_mutex held.
IdChunk* IdSlotForInsert(StackId id) {
  std::atomic<IdChunk*>& chunk_pointer = g_id_chunks[(id - 1) >> kIdChunkBits];
  IdChunk* chunk = chunk_pointer.load(std::memory_order_relaxed);
  if (chunk == nullptr) {
    void* memory = ArenaAllocate(kIdChunkSize * sizeof(IdChunk));
    if (memory == nullptr) return nullptr;
    chunk = static_cast<IdChunk*>(memory);
    for (std::size_t i = 0; i < kIdChunkSize; ++i) new (&chunk[i]) IdChunk(nullptr);
    chunk_pointer.store(chunk, std::memory_order_release);
  }
  return &chunk[(id - 1) & (kIdChunkSize - 1)];
}

StackId Insert(std::atomic<const Node*>& bucket, std::uint64_t hash,
               std::span<const std::uintptr_t> pcs) {
  std::lock_guard lock(g_insert_mutex);
  const Node* head = bucket.load(std::memory_order_acquire);
  if (const Node* found = Find(head, hash, pcs)) return found->id;  // another thread won
  const std::uint32_t size = g_size.load(std::memory_order_relaxed);
  if (size >= kMaxStackIds) return kNoStack;
  const StackId id = size + 1;
  IdChunk* slot = IdSlotForInsert(id);
  void* memory = slot == nullptr ? nullptr : ArenaAllocate(sizeof(Node) + pcs.size_bytes());
  if (memory == nullptr) return kNoStack;
  Node* node = new (memory) Node{head, hash, id, static_cast<std::uint32_t>(pcs.size())};
  std::memcpy(node->pcs(), pcs.data(), pcs.size_bytes());
  slot->store(node, std::memory_order_release);
  bucket.store(node, std::memory_order_release);
  g_size.store(id, std::memory_order_release);
  return id;
}

// The calling thread's stack, [low, high); {0, 0} when unknown. Looked up once
// per thread (for the main thread glibc reads /proc/self/maps).
struct StackBounds {
  std::uintptr_t low = 0;
  std::uintptr_t high = 0;
};

const StackBounds& ThreadStackBounds() {
  thread_local const StackBounds bounds = [] {
    StackBounds b;
    pthread_attr_t attr;
    if (::pthread_getattr_np(::pthread_self(), &attr) != 0) return b;
    void* address = nullptr;
    std::size_t size = 0;
    if (::pthread_attr_getstack(&attr, &address, &size) == 0) {
      b.low = reinterpret_cast<std::uintptr_t>(address);
      b.high = b.low + size;
    }
    ::pthread_attr_destroy(&attr);
    return b;
  }();
  return bounds;
}

// The executable segments of the program and the libraries loaded when the
// first stack is captured, sorted: a return address must point into one of
// them, so a frame pointer that is really some other value in the stack (left
// by a function built without frame pointers) ends the walk instead of adding
// a made-up frame. Code loaded later (dlopen) is not in the table: its frames
// end the walk, and CaptureStack then falls back to the DWARF unwinder.
class CodeSegments {
 public:
  // Never destroyed: stacks are captured during exit too (atexit handlers joining
  // non-daemon threads, threads still running while static destructors run).
  static const CodeSegments& Instance() {
    if (const CodeSegments* segments = g_code_segments.load(std::memory_order_acquire)) {
      return *segments;
    }
    return Build();
  }
  // `hint`: the range that held the previous frame, tried first (a walk
  // mostly stays inside one executable); updated to this frame's range.
  bool Contains(std::uintptr_t pc, std::size_t& hint) const {
    if (hint < ranges_.size() && ranges_[hint].begin <= pc && pc < ranges_[hint].end) return true;
    const auto it = std::upper_bound(
        ranges_.begin(), ranges_.end(), pc,
        [](std::uintptr_t value, const Range& range) { return value < range.begin; });
    if (it == ranges_.begin() || pc >= std::prev(it)->end) return false;
    hint = static_cast<std::size_t>(std::prev(it) - ranges_.begin());
    return true;
  }

 private:
  struct Range {
    std::uintptr_t begin;
    std::uintptr_t end;
  };
  // One thread builds the table; the others wait for it (tens of microseconds, once per
  // process). In a child forked meanwhile nobody builds it: the child's first capture does.
  static const CodeSegments& Build() {
    for (;;) {
      bool expected = false;
      if (g_code_segments_building.compare_exchange_strong(expected, true,
                                                           std::memory_order_acquire)) {
        break;
      }
      while (g_code_segments_building.load(std::memory_order_acquire)) sched_yield();
      if (const CodeSegments* segments = g_code_segments.load(std::memory_order_acquire)) {
        return *segments;
      }
    }
    const CodeSegments* segments = g_code_segments.load(std::memory_order_acquire);
    if (segments == nullptr) {
      if (void (*hook)() = g_code_segments_build_hook.exchange(nullptr)) hook();
      segments = new CodeSegments();
      g_code_segments.store(segments, std::memory_order_release);
    }
    g_code_segments_building.store(false, std::memory_order_release);
    return *segments;
  }

  CodeSegments() {
    ::dl_iterate_phdr(
        [](dl_phdr_info* info, std::size_t, void* data) {
          auto& ranges = *static_cast<std::vector<Range>*>(data);
          for (int i = 0; i < info->dlpi_phnum; ++i) {
            const auto& header = info->dlpi_phdr[i];
            if (header.p_type != PT_LOAD || (header.p_flags & PF_X) == 0) continue;
            const std::uintptr_t begin = info->dlpi_addr + header.p_vaddr;
            ranges.push_back({begin, begin + header.p_memsz});
          }
          return 0;
        },
        &ranges_);
    std::sort(ranges_.begin(), ranges_.end(),
              [](const Range& a, const Range& b) { return a.begin < b.begin; });
  }
  std::vector<Range> ranges_;
};

// Follows the frame-pointer chain from `frame_address`, the frame of the
// function calling this one: out[0] is the return address into its caller.
// Every frame pointer must lie inside this thread's stack, above the previous
// one and be aligned, so a function built without frame pointers ends the walk
// instead of sending it into arbitrary memory (as the sanitizers' fast unwinder).
// Returns the number of addresses stored.
constinit thread_local std::uintptr_t t_walk_limit = 0;  // 0: none

// Whether the walk may read the frame at `fp` (the first test of each step of the walk).
bool FrameInBounds(std::uintptr_t fp, const StackBounds& bounds, std::uintptr_t limit) {
  return fp >= bounds.low && fp + 2 * sizeof(std::uintptr_t) <= bounds.high && fp < limit &&
         fp % sizeof(std::uintptr_t) == 0;
}

// When `frames` is not null, frames[i] is the frame pointer out[i] was read at, and
// frames[depth] the value the walk stopped at (when it stopped before `capacity`).
int WalkFramePointers(const void* frame_address, std::uintptr_t* out, int capacity,
                      std::uintptr_t* frames = nullptr) {
  const StackBounds& bounds = ThreadStackBounds();
  const std::uintptr_t limit = t_walk_limit != 0 ? t_walk_limit : bounds.high;
  const CodeSegments& code = CodeSegments::Instance();
  auto fp = reinterpret_cast<std::uintptr_t>(frame_address);
  int depth = 0;
  std::size_t hint = 0;
  while (depth < capacity) {
    if (frames != nullptr) frames[depth] = fp;
    if (!FrameInBounds(fp, bounds, limit)) break;
    const auto* frame = reinterpret_cast<const std::uintptr_t*>(fp);
    const std::uintptr_t return_address = frame[1];
    if (!code.Contains(return_address, hint)) break;
    out[depth++] = return_address;
    const std::uintptr_t next = frame[0];
    if (next <= fp) {
      if (frames != nullptr && depth < capacity) frames[depth] = next;
      break;
    }
    fp = next;
  }
  return depth;
}

// The frame chain of the stacks this thread captured last, with their ids. A walk's result
// depends only on the frame pointers and return addresses it reads (and on the stack bounds,
// the walk limit and the code segments, which do not change under a thread): when every
// frame of a cached chain still holds the same two values, and the walk would stop where it
// stopped, the stack is the cached one. Checking that reads the same words as a walk but
// skips its tests and the hashing, which is most of a capture's cost. A thread mostly
// captures the same few stacks again (a loop taking a lock or touching a Shared).
constexpr int kCachedFrames = 40;
struct CachedChain {
  StackId id = kNoStack;
  int skip = 0;
  int depth = 0;                             // return addresses walked
  std::uintptr_t limit = 0;                  // t_walk_limit at the walk
  const CodeSegments* code = nullptr;        // the table the walk used
  std::uintptr_t frames[kCachedFrames + 1];  // frame pointers, then where the walk stopped
  std::uintptr_t pcs[kCachedFrames];
};
// Two ways per set, so that two call sites that land in one set (a lock's acquisition and an
// access inside it) do not evict each other at every capture.
struct ChainSet {
  CachedChain ways[2];
  int last_used = 0;
};
constexpr std::size_t kChainSets = 4;
constinit thread_local ChainSet t_chain_sets[kChainSets]{};

// The set for a walk starting at `start` (the capturing function's own frame, whose return
// address tells the call sites apart).
ChainSet& ChainSetFor(std::uintptr_t start) {
  const std::uintptr_t caller = reinterpret_cast<const std::uintptr_t*>(start)[1];
  return t_chain_sets[((caller * 0x9E3779B97F4A7C15ULL) >> 32) % kChainSets];
}

// Whether walking from `start` now would give exactly `chain`'s result.
bool SameChain(const CachedChain& chain, std::uintptr_t start, int skip, int capacity) {
  if (chain.id == kNoStack || chain.skip != skip || chain.limit != t_walk_limit ||
      chain.code != &CodeSegments::Instance() || chain.frames[0] != start) {
    return false;
  }
  std::uintptr_t fp = start;
  for (int i = 0; i < chain.depth; ++i) {
    // frames[i] was in bounds and above frames[i - 1] when the chain was walked.
    if (fp != chain.frames[i]) return false;
    const auto* frame = reinterpret_cast<const std::uintptr_t*>(fp);
    if (frame[1] != chain.pcs[i]) return false;
    fp = frame[0];
  }
  if (chain.depth == capacity) return true;
  // The walk stopped after `depth` frames: it must stop there again.
  if (fp != chain.frames[chain.depth]) return false;
  if (chain.depth > 0 && fp <= chain.frames[chain.depth - 1]) return true;
  const StackBounds& bounds = ThreadStackBounds();
  if (!FrameInBounds(fp, bounds, t_walk_limit != 0 ? t_walk_limit : bounds.high)) return true;
  std::size_t hint = 0;
  return !chain.code->Contains(reinterpret_cast<const std::uintptr_t*>(fp)[1], hint);
}

// glibc's backtrace() (DWARF call-frame information): slow but needs no frame
// pointers. Keeps the frames from the one that returns to `caller_return` on.
int SlowUnwind(void* caller_return, std::uintptr_t* out, int capacity) {
  void* buffer[kMaxOwnFrames + kMaxSkip + kMaxStackFrames];
  const int depth = ::backtrace(buffer, static_cast<int>(std::size(buffer)));
  int first = 0;
  while (first < depth && first < kMaxOwnFrames && buffer[first] != caller_return) ++first;
  if (first == depth || first == kMaxOwnFrames) first = 1;  // not found: assume backtrace() only
  int count = 0;
  for (int i = first; i < depth && count < capacity; ++i) {
    out[count++] = reinterpret_cast<std::uintptr_t>(buffer[i]);
  }
  return count;
}

}  // namespace

void SetStackWalkLimit(const void* entry_frame) noexcept {
  t_walk_limit = reinterpret_cast<std::uintptr_t>(entry_frame);
}

StackId InternStack(std::span<const std::uintptr_t> pcs) {
  if (pcs.size() > kMaxStackFrames) pcs = pcs.first(kMaxStackFrames);
  if (pcs.empty()) return kNoStack;
  const std::uint64_t hash = Hash(pcs);
  std::atomic<const Node*>& bucket = g_buckets[Mix(hash) & (kBuckets - 1)];
  if (const Node* found = Find(bucket.load(std::memory_order_acquire), hash, pcs)) return found->id;
  return Insert(bucket, hash, pcs);
}

namespace {

// The stacks this thread captured last, by a cheap fold of their addresses. A
// thread mostly captures the same few stacks again (a loop taking a lock or
// touching a Shared): comparing with its own copy skips the depot's hash and
// lookup. Small, as it sits in every thread's static TLS.
struct RecentStack {
  StackId id = kNoStack;
  std::uint32_t size = 0;
  std::uintptr_t pcs[kMaxStackFrames] = {};
};
constexpr std::size_t kRecentStacks = 16;
constinit thread_local RecentStack t_recent[kRecentStacks]{};

StackId InternRecent(std::span<const std::uintptr_t> pcs) {
  std::uintptr_t fold = pcs.size();
  for (const std::uintptr_t pc : pcs) fold = ((fold << 7) | (fold >> 57)) ^ pc;
  fold ^= fold >> 29;
  fold ^= fold >> 13;
  RecentStack& recent = t_recent[fold & (kRecentStacks - 1)];
  if (recent.id != kNoStack && recent.size == pcs.size() &&
      std::memcmp(recent.pcs, pcs.data(), pcs.size_bytes()) == 0) {
    return recent.id;
  }
  const StackId id = InternStack(pcs);
  if (id != kNoStack) {
    recent.id = id;
    recent.size = static_cast<std::uint32_t>(pcs.size());
    std::memcpy(recent.pcs, pcs.data(), pcs.size_bytes());
  }
  return id;
}

}  // namespace

__attribute__((noinline)) StackId CaptureStack(int skip, Unwinder unwinder) {
  skip = std::clamp(skip, 0, kMaxSkip);
  std::uintptr_t buffer[kMaxSkip + kMaxStackFrames];
  constexpr int kCapacity = static_cast<int>(std::size(buffer));
  int depth = 0;
  if (unwinder == Unwinder::kFast) {
    const auto start = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    ChainSet& set = ChainSetFor(start);
    for (int way = 0; way < 2; ++way) {
      if (SameChain(set.ways[way], start, skip, kCapacity)) {
        set.last_used = way;
        return set.ways[way].id;
      }
    }
    CachedChain& chain = set.ways[1 - set.last_used];  // the one used less recently
    set.last_used = 1 - set.last_used;
    std::uintptr_t frames[kCapacity + 1];
    depth = WalkFramePointers(reinterpret_cast<const void*>(start), buffer, kCapacity, frames);
    if (depth >= 2 && depth <= kCachedFrames && depth > skip) {
      const int count = std::min(depth - skip, static_cast<int>(kMaxStackFrames));
      const StackId id = InternRecent(
          std::span<const std::uintptr_t>(buffer + skip, static_cast<std::size_t>(count)));
      if (id != kNoStack) {
        chain.id = id;
        chain.skip = skip;
        chain.depth = depth;
        chain.limit = t_walk_limit;
        chain.code = &CodeSegments::Instance();
        std::copy(frames, frames + depth + 1, chain.frames);
        std::copy(buffer, buffer + depth, chain.pcs);
      }
      return id;
    }
  }
  if (depth < 2) {
    // Asked for, or the frame chain broke at once (a caller without frame
    // pointers, or a stack the bounds do not cover): the DWARF unwinder.
    depth = SlowUnwind(__builtin_return_address(0), buffer, static_cast<int>(std::size(buffer)));
  }
  if (depth <= skip) return kNoStack;
  const int count = std::min(depth - skip, static_cast<int>(kMaxStackFrames));
  return InternRecent(
      std::span<const std::uintptr_t>(buffer + skip, static_cast<std::size_t>(count)));
}

std::vector<std::uintptr_t> StackPcs(StackId id) {
  if (id == kNoStack || id > g_size.load(std::memory_order_acquire)) return {};
  const IdChunk* chunk = g_id_chunks[(id - 1) >> kIdChunkBits].load(std::memory_order_acquire);
  if (chunk == nullptr) return {};
  const Node* node = chunk[(id - 1) & (kIdChunkSize - 1)].load(std::memory_order_acquire);
  if (node == nullptr) return {};
  return std::vector<std::uintptr_t>(node->pcs(), node->pcs() + node->size);
}

std::size_t StackDepotSize() { return g_size.load(std::memory_order_acquire); }

void SetCodeSegmentsBuildHookForTesting(void (*hook)()) noexcept {
  g_code_segments_build_hook.store(hook);
}

void ForgetCodeSegmentsForTesting() noexcept {
  g_code_segments.store(nullptr, std::memory_order_release);  // the old table is leaked
}

}  // namespace racelens::detail
