// runtime/stack_depot.hpp — capturing call stacks cheaply and storing them once.
//
// CaptureStack() records the raw return addresses of the calling thread's
// stack (at most kMaxStackFrames, innermost first) by following the frame-
// pointer chain, as the sanitizers' fast unwinder does, and interns them in the
// process-wide stack depot: equal stacks get equal ids, as in ThreadSanitizer's
// StackDepot. racelens::runtime compiles itself and the code linking it with
// -fno-omit-frame-pointer; a frame built without frame pointers ends the walk
// (each frame pointer must lie inside the thread's stack, above the last one),
// so such code loses its outer frames but never crashes the walk. When the
// chain breaks at once, CaptureStack falls back to glibc's backtrace() (DWARF
// call-frame information: complete, ~100x slower). An id is a small integer that detectors keep
// instead of the stack; the addresses come back with StackPcs(), and symbolizer.hpp turns an id
// into function, file and line.
//
// Cost: one walk of the frame chain (a few loads per frame) plus one hash-table
// lookup: tens of nanoseconds for a stack already in the depot. A thread keeps the
// frame chains of its last few captures; a capture whose every frame (frame
// pointer and return address) is unchanged from one of them, and whose walk would
// stop at the same place, returns that chain's id after reading the frames only. Looking up a stack
// already in the depot takes no lock; only the first capture of a new stack
// takes an internal mutex to insert it. Depot memory is never freed (ids stay
// valid for the life of the process); it is taken from the OS with mmap, not
// from malloc, so capturing never re-enters the allocator.
//
// Thread-safety: every function is thread-safe and may run concurrently with
// any other. An id may be handed to other threads by any means; StackPcs() of
// an id returned by CaptureStack()/InternStack() always sees the full stack.
// fork() may happen at any time (the insert mutex is held across it with
// pthread_atfork, and a child forked while another thread set up capturing
// does the set-up itself), and ids stay valid in the child.
//
// Errors: none are thrown. kNoStack (0) stands for "no stack": CaptureStack()
// returns it when the unwinder finds no frames or the depot is full
// (kMaxStackIds distinct stacks) or out of memory; StackPcs(kNoStack) and
// StackPcs() of an unknown id return an empty vector.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace racelens::detail {

using StackId = std::uint32_t;

inline constexpr StackId kNoStack = 0;
// Frames kept per stack: the innermost ones when the stack is deeper.
inline constexpr std::size_t kMaxStackFrames = 32;
// Distinct stacks the depot can hold; later new stacks get kNoStack.
inline constexpr std::size_t kMaxStackIds = std::size_t{1} << 24;

// How CaptureStack walks the stack.
enum class Unwinder : std::uint8_t {
  // Frame pointers: tens of nanoseconds; frames above a function built
  // without frame pointers (e.g. a library's callback glue) are lost.
  kFast,
  // glibc's backtrace() over DWARF call-frame information: complete through
  // any code, but microseconds per stack. For rare events (misuse, a thread
  // start, a blocking call) where a full stack matters more than speed.
  kComplete,
};

// Captures the calling thread's stack and returns its id. Frame 0 is the
// return address into the function that called CaptureStack() (so it points
// just after that call); `skip` > 0 drops that many further frames, e.g. 1 to
// start at the caller's caller. Values outside [0, 32] are clamped. A caller
// that tail-calls CaptureStack() does not appear in the stack (its caller
// does), as with any unwinder. kFast falls back to kComplete when the frame
// chain breaks at once.
StackId CaptureStack(int skip = 0, Unwinder unwinder = Unwinder::kFast);

// Frames at or above `entry_frame` (a frame address of the calling thread's
// entry function, from __builtin_frame_address) are no longer walked by this
// thread's fast captures: what lies above a thread's entry is start-up glue
// (std::thread, libc) that reports trim anyway, and not walking it makes each
// capture cheaper. nullptr walks to the end of the stack again.
void SetStackWalkLimit(const void* entry_frame) noexcept;

// Interns a stack given as return addresses, innermost first (truncated to
// kMaxStackFrames). Equal sequences get equal ids; an empty one gets kNoStack.
StackId InternStack(std::span<const std::uintptr_t> pcs);

// The return addresses of stack `id`, innermost first; empty for kNoStack or an
// id the depot never handed out.
std::vector<std::uintptr_t> StackPcs(StackId id);

// How many distinct stacks the depot holds (statistics and tests).
std::size_t StackDepotSize();

// For tests of fork() during the one-time set-up of CaptureStack (the table of code segments,
// built by the first capture). The hook runs once, on the thread that builds the table next,
// before it reads the segments. Forgetting the table makes the next capture build it again.
void SetCodeSegmentsBuildHookForTesting(void (*hook)()) noexcept;
void ForgetCodeSegmentsForTesting() noexcept;

}  // namespace racelens::detail
