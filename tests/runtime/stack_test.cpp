// The stack depot and the symbolizer: capturing real stacks, deduplicating
// them, symbolising them with function, file and line, capturing from many
// threads at once, and trimming runtime and start-up frames from report stacks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "runtime/stack_depot.hpp"
#include "runtime/symbolizer.hpp"

// The functions whose stacks are captured live outside namespace racelens and
// are never inlined, cloned or tail-called, so each is a frame of its own. The
// line of each call is a constant next to it (kept in place by clang-format off).
#define STACK_TEST_FRAME [[gnu::noipa]]
#define STACK_TEST_NO_TAIL_CALL(value) asm volatile("" : : "r"(value) : "memory")

using racelens::detail::CaptureStack;
using racelens::detail::StackId;
using racelens::detail::Unwinder;

namespace {

// The unwinder StackInner uses; tests that need another set it and restore it.
Unwinder g_unwinder = Unwinder::kFast;

// clang-format off
constexpr int kInnerLine = __LINE__ + 2;
STACK_TEST_FRAME StackId StackInner(int skip) {
  const StackId id = CaptureStack(skip, g_unwinder);
  STACK_TEST_NO_TAIL_CALL(id);
  return id;
}

constexpr int kMiddleLine = __LINE__ + 2;
STACK_TEST_FRAME StackId StackMiddle(int skip) {
  const StackId id = StackInner(skip);
  STACK_TEST_NO_TAIL_CALL(id);
  return id;
}

constexpr int kOuterLine = __LINE__ + 2;
STACK_TEST_FRAME StackId StackOuter(int skip) {
  const StackId id = StackMiddle(skip);
  STACK_TEST_NO_TAIL_CALL(id);
  return id;
}

STACK_TEST_FRAME StackId FromSiteA() {
  const StackId id = StackOuter(0);
  STACK_TEST_NO_TAIL_CALL(id);
  return id;
}

STACK_TEST_FRAME StackId FromSiteB() {
  const StackId id = StackOuter(0);
  STACK_TEST_NO_TAIL_CALL(id);
  return id;
}

// Two callers of FromSiteA with equal frames: their stacks differ only in the outermost frames.
STACK_TEST_FRAME StackId ViaFirstCaller() {
  const StackId id = FromSiteA();
  STACK_TEST_NO_TAIL_CALL(id);
  return id;
}

STACK_TEST_FRAME StackId ViaSecondCaller() {
  const StackId id = FromSiteA();
  STACK_TEST_NO_TAIL_CALL(id);
  return id;
}

constexpr int kInlinedLine = __LINE__ + 2;
[[gnu::always_inline]] inline StackId InlinedCapture() {
  const StackId id = CaptureStack(0);
  STACK_TEST_NO_TAIL_CALL(id);
  return id;
}

constexpr int kInliningCallerLine = __LINE__ + 2;
STACK_TEST_FRAME StackId CallsInlinedCapture() {
  const StackId id = InlinedCapture();
  STACK_TEST_NO_TAIL_CALL(id);
  return id;
}
// clang-format on

STACK_TEST_FRAME StackId Recurse(int depth) {
  const StackId id = depth == 0 ? CaptureStack(0) : Recurse(depth - 1);
  STACK_TEST_NO_TAIL_CALL(id);
  return id;
}

using racelens::report::Frame;
using racelens::report::Stack;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

auto FrameIs(const std::string& function_part, int line) {
  return AllOf(Field(&Frame::function, HasSubstr(function_part)),
               Field(&Frame::file, EndsWith("stack_test.cpp")), Field(&Frame::line, line));
}

std::vector<std::string> Functions(const Stack& stack) {
  std::vector<std::string> functions;
  for (const Frame& frame : stack) functions.push_back(frame.function);
  return functions;
}

TEST(StackDepot, CapturedStackSymbolisesToTheNestedFunctions) {
  const StackId id = StackOuter(0);
  ASSERT_NE(id, racelens::detail::kNoStack);
  const Stack stack = racelens::detail::Symbolize(id);
  ASSERT_THAT(stack, SizeIs(::testing::Ge(3u)));
  EXPECT_THAT(stack[0], FrameIs("StackInner(int)", kInnerLine));
  EXPECT_THAT(stack[1], FrameIs("StackMiddle(int)", kMiddleLine));
  EXPECT_THAT(stack[2], FrameIs("StackOuter(int)", kOuterLine));
  const std::vector<std::uintptr_t> pcs = racelens::detail::StackPcs(id);
  ASSERT_THAT(pcs, SizeIs(::testing::Ge(3u)));
  EXPECT_EQ(stack[0].pc, pcs[0]);
  EXPECT_EQ(stack[2].pc, pcs[2]);
}

TEST(StackDepot, FastAndCompleteUnwindersAgreeWhereFramePointersExist) {
  const std::vector<std::uintptr_t> fast = racelens::detail::StackPcs(FromSiteA());
  g_unwinder = Unwinder::kComplete;
  const std::vector<std::uintptr_t> complete = racelens::detail::StackPcs(FromSiteA());
  g_unwinder = Unwinder::kFast;
  // StackInner, StackMiddle, StackOuter, FromSiteA and the test body have frame pointers; the
  // test body's return addresses differ (two calls), its function does not.
  ASSERT_THAT(fast, SizeIs(::testing::Ge(5u)));
  ASSERT_THAT(complete, SizeIs(::testing::Ge(5u)));
  EXPECT_TRUE(std::equal(fast.begin(), fast.begin() + 4, complete.begin()));
  const Stack fast_frames = racelens::detail::SymbolizePcs(std::span(fast).first(5));
  const Stack complete_frames = racelens::detail::SymbolizePcs(std::span(complete).first(5));
  EXPECT_EQ(fast_frames.back().function, complete_frames.back().function);
}

TEST(StackDepot, SkipDropsTheInnermostFrames) {
  const Stack stack = racelens::detail::Symbolize(StackOuter(1));
  ASSERT_THAT(stack, SizeIs(::testing::Ge(2u)));
  EXPECT_THAT(stack[0], FrameIs("StackMiddle(int)", kMiddleLine));
  EXPECT_THAT(stack[1], FrameIs("StackOuter(int)", kOuterLine));
}

TEST(StackDepot, InlinedCallsExpandToOneFrameEach) {
  const Stack stack = racelens::detail::Symbolize(CallsInlinedCapture());
  ASSERT_THAT(stack, SizeIs(::testing::Ge(2u)));
  // GCC's debug info names an inlined internal-linkage function without scope and parameters.
  EXPECT_THAT(stack[0], FrameIs("InlinedCapture", kInlinedLine));
  EXPECT_THAT(stack[1], FrameIs("CallsInlinedCapture()", kInliningCallerLine));
  EXPECT_EQ(stack[0].pc, stack[1].pc);  // one return address, two frames
}

TEST(StackDepot, IdenticalStacksShareAnIdAndDifferentOnesDoNot) {
  std::vector<StackId> from_a;
  for (int i = 0; i < 3; ++i) from_a.push_back(FromSiteA());
  const StackId b = FromSiteB();
  EXPECT_NE(from_a[0], racelens::detail::kNoStack);
  EXPECT_THAT(from_a, ElementsAre(from_a[0], from_a[0], from_a[0]));
  EXPECT_NE(b, from_a[0]);
  EXPECT_EQ(racelens::detail::StackPcs(from_a[0]), racelens::detail::StackPcs(from_a[1]));
  EXPECT_NE(racelens::detail::StackPcs(from_a[0]), racelens::detail::StackPcs(b));
}

TEST(StackDepot, AStackThatDiffersOnlyFarOutIsNotTakenForTheLastOne) {
  // A thread remembers the frame chain of its last captures and returns the cached id when
  // every frame still holds the same frame pointer and return address. Called in turn from
  // two callers, the capture sees the same inner frames at the same addresses each time and
  // a different return address a few frames out: each call must get its own caller's stack.
  std::vector<StackId> first;
  std::vector<StackId> second;
  for (int i = 0; i < 8; ++i) {
    first.push_back(ViaFirstCaller());
    second.push_back(ViaSecondCaller());
  }
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(first[static_cast<std::size_t>(i)], first[0]) << "call " << i;
    EXPECT_EQ(second[static_cast<std::size_t>(i)], second[0]) << "call " << i;
  }
  ASSERT_NE(first[0], second[0]);
  const std::vector<std::uintptr_t> a = racelens::detail::StackPcs(first[0]);
  const std::vector<std::uintptr_t> b = racelens::detail::StackPcs(second[0]);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_TRUE(std::equal(a.begin(), a.begin() + 4, b.begin())) << "same inner frames";
  EXPECT_FALSE(std::equal(a.begin(), a.end(), b.begin()));
  EXPECT_THAT(Functions(racelens::detail::Symbolize(first[0])),
              Contains(HasSubstr("ViaFirstCaller")));
  EXPECT_THAT(Functions(racelens::detail::Symbolize(second[0])),
              Contains(HasSubstr("ViaSecondCaller")));
}

// Stack number `k` of 23 distinct ones: the same k always gives the same stack.
STACK_TEST_FRAME StackId NumberedStack(int k) {
  const StackId id = k < 21 ? Recurse(k) : k == 21 ? FromSiteA() : FromSiteB();
  STACK_TEST_NO_TAIL_CALL(id);
  return id;
}

TEST(StackDepot, RepeatedCapturesKeepTheirIdsPastTheThreadsRecentStackCache) {
  // Each thread keeps its last few stacks (16 slots) to skip the depot's lookup: 23 distinct
  // stacks captured three times in turn evict and collide in that cache; every capture must
  // still return the depot's id of exactly its own stack.
  constexpr int kStacks = 23;
  std::vector<StackId> ids;
  for (int pass = 0; pass < 3; ++pass) {
    for (int k = 0; k < kStacks; ++k) ids.push_back(NumberedStack(k));
  }
  for (int pass = 1; pass < 3; ++pass) {
    for (int k = 0; k < kStacks; ++k) {
      EXPECT_EQ(ids[static_cast<std::size_t>(pass * kStacks + k)], ids[static_cast<std::size_t>(k)])
          << "stack " << k << ", pass " << pass;
    }
  }
  std::vector<StackId> first(ids.begin(), ids.begin() + kStacks);
  std::vector<StackId> sorted = first;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << "not distinct";
  for (const StackId id : first) {
    EXPECT_NE(id, racelens::detail::kNoStack);
    EXPECT_EQ(racelens::detail::InternStack(racelens::detail::StackPcs(id)), id);
  }
}

TEST(StackDepot, InternStackDeduplicatesAndRoundTrips) {
  const std::vector<std::uintptr_t> pcs = {0x1000, 0x2000, 0x3000};
  const std::vector<std::uintptr_t> other = {0x1000, 0x2000, 0x3001};
  const StackId id = racelens::detail::InternStack(pcs);
  EXPECT_EQ(racelens::detail::InternStack(pcs), id);
  const StackId other_id = racelens::detail::InternStack(other);
  EXPECT_NE(other_id, id);
  EXPECT_EQ(racelens::detail::StackPcs(id), pcs);
  EXPECT_EQ(racelens::detail::StackPcs(other_id), other);
  EXPECT_GE(id, 1u);
  EXPECT_LE(id, racelens::detail::StackDepotSize());

  // A new stack grows the depot by one id; a known one does not.
  static std::uintptr_t fresh = 0xabc0000;  // new on every --gtest_repeat round
  const std::vector<std::uintptr_t> new_pcs = {++fresh};
  const std::size_t size_before = racelens::detail::StackDepotSize();
  const StackId new_id = racelens::detail::InternStack(new_pcs);
  EXPECT_EQ(racelens::detail::StackDepotSize(), size_before + 1);
  EXPECT_EQ(new_id, size_before + 1);  // ids are dense
  EXPECT_EQ(racelens::detail::InternStack(new_pcs), new_id);
  EXPECT_EQ(racelens::detail::StackDepotSize(), size_before + 1);
}

TEST(StackDepot, NoStackAndUnknownIdsAreEmpty) {
  EXPECT_EQ(racelens::detail::InternStack({}), racelens::detail::kNoStack);
  EXPECT_THAT(racelens::detail::StackPcs(racelens::detail::kNoStack), IsEmpty());
  EXPECT_THAT(racelens::detail::StackPcs(0xfffffff0u), IsEmpty());
  EXPECT_THAT(racelens::detail::Symbolize(racelens::detail::kNoStack), IsEmpty());
  EXPECT_THAT(racelens::detail::SymbolizeForReport(racelens::detail::kNoStack), IsEmpty());
}

TEST(StackDepot, DeepStacksKeepTheInnermostFrames) {
  const StackId id = Recurse(60);
  const std::vector<std::uintptr_t> pcs = racelens::detail::StackPcs(id);
  EXPECT_THAT(pcs, SizeIs(racelens::detail::kMaxStackFrames));
  const Stack stack = racelens::detail::Symbolize(id);
  ASSERT_THAT(stack, Not(IsEmpty()));
  EXPECT_THAT(stack[0].function, HasSubstr("Recurse(int)"));
  EXPECT_THAT(stack.back().function, HasSubstr("Recurse(int)"));

  std::vector<std::uintptr_t> long_stack(40);
  for (std::size_t i = 0; i < long_stack.size(); ++i) long_stack[i] = 0x5000 + i;
  const StackId long_id = racelens::detail::InternStack(long_stack);
  long_stack.resize(racelens::detail::kMaxStackFrames);
  EXPECT_EQ(racelens::detail::StackPcs(long_id), long_stack);
  EXPECT_EQ(racelens::detail::InternStack(long_stack), long_id);
}

TEST(StackDepot, ConcurrentCapturesFromEightThreadsAgree) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 200;
  std::vector<std::vector<StackId>> site_ids(kThreads);
  std::vector<std::vector<StackId>> own_ids(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      for (int round = 0; round < kRounds; ++round) {
        site_ids[t].push_back(round % 2 == 0 ? FromSiteA() : FromSiteB());
        // A stack of this thread's own, new on every round.
        const std::uintptr_t base = 0x100000 * static_cast<std::uintptr_t>(t + 1);
        const std::vector<std::uintptr_t> pcs = {base, base + static_cast<std::uintptr_t>(round)};
        own_ids[t].push_back(racelens::detail::InternStack(pcs));
        EXPECT_EQ(racelens::detail::StackPcs(own_ids[t].back()), pcs);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  // Every thread runs the same code, so the return addresses — and the ids — agree.
  for (int t = 0; t < kThreads; ++t) {
    for (int round = 0; round < kRounds; ++round) {
      EXPECT_EQ(site_ids[t][round], site_ids[0][round % 2]);
    }
  }
  EXPECT_NE(site_ids[0][0], site_ids[0][1]);
  std::vector<StackId> all_own;
  for (const auto& ids : own_ids) all_own.insert(all_own.end(), ids.begin(), ids.end());
  EXPECT_THAT(all_own, ::testing::Each(Not(racelens::detail::kNoStack)));
  std::sort(all_own.begin(), all_own.end());
  EXPECT_EQ(std::adjacent_find(all_own.begin(), all_own.end()), all_own.end())
      << "two different stacks got the same id";
  for (int t = 0; t < kThreads; ++t) {
    const Stack stack = racelens::detail::Symbolize(site_ids[t][0]);
    ASSERT_THAT(stack, SizeIs(::testing::Ge(3u)));
    EXPECT_THAT(stack[0], FrameIs("StackInner(int)", kInnerLine));
  }
}

TEST(StackDepot, ConcurrentSymbolisationIsSafe) {
  const StackId id = FromSiteA();
  std::vector<std::thread> threads;
  std::vector<Stack> stacks(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] { stacks[t] = racelens::detail::Symbolize(id); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const Stack& stack : stacks) EXPECT_EQ(Functions(stack), Functions(stacks[0]));
}

TEST(StackDepot, WorksInAForkedChild) {
  const StackId id = FromSiteA();
  const std::vector<std::uintptr_t> pcs = racelens::detail::StackPcs(id);
  const pid_t pid = ::fork();
  ASSERT_NE(pid, -1);
  if (pid == 0) {
    std::vector<std::uintptr_t> new_pcs = {reinterpret_cast<std::uintptr_t>(&pcs)};
    const bool ok = racelens::detail::StackPcs(id) == pcs &&
                    racelens::detail::InternStack(new_pcs) != racelens::detail::kNoStack &&
                    !racelens::detail::Symbolize(FromSiteB()).empty();
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

TEST(Symbolizer, FunctionsWithoutDebugInfoAreNamedFromTheSymbolTable) {
  // libstdc++ has no debug info here; its dynamic symbol table still names std::terminate.
  const auto address = reinterpret_cast<std::uintptr_t>(&std::terminate);
  const std::uintptr_t pcs[] = {address + 1};  // a return address just after its entry point
  const Stack stack = racelens::detail::SymbolizePcs(pcs);
  ASSERT_THAT(stack, SizeIs(::testing::Ge(1u)));
  EXPECT_THAT(stack.back().function, HasSubstr("terminate"));
  EXPECT_EQ(stack.back().pc, address + 1);
}

namespace {
long g_unnamed_counter = 0;
struct Config {
  long first = 0;
  long second = 0;
};
Config g_config;
}  // namespace

struct WithStaticMember {
  static int instances;
};
int WithStaticMember::instances = 0;

TEST(Symbolizer, StaticObjectsAreNamedFromTheSymbolTable) {
  using racelens::detail::DataSymbolName;
  EXPECT_EQ(DataSymbolName(reinterpret_cast<std::uintptr_t>(&g_unnamed_counter)),
            "g_unnamed_counter");
  EXPECT_EQ(DataSymbolName(reinterpret_cast<std::uintptr_t>(&WithStaticMember::instances)),
            "WithStaticMember::instances");
  EXPECT_EQ(DataSymbolName(reinterpret_cast<std::uintptr_t>(&g_config.second)), "g_config+8");
  static int function_static = 0;
  EXPECT_THAT(DataSymbolName(reinterpret_cast<std::uintptr_t>(&function_static)),
              HasSubstr("function_static"));
}

TEST(Symbolizer, HeapAndStackAddressesHaveNoDataName) {
  using racelens::detail::DataSymbolName;
  const auto heap = std::make_unique<long>(0);
  long local = 0;
  STACK_TEST_NO_TAIL_CALL(&local);
  EXPECT_EQ(DataSymbolName(reinterpret_cast<std::uintptr_t>(heap.get())), "");
  EXPECT_EQ(DataSymbolName(reinterpret_cast<std::uintptr_t>(&local)), "");
  EXPECT_EQ(DataSymbolName(0), "");
}

TEST(Symbolizer, ReportStackOfTheMainThreadEndsAtMain) {
  // Debian's libgtest has no frame pointers: only the complete unwinder gets through its frames.
  g_unwinder = Unwinder::kComplete;
  const StackId id = FromSiteA();
  g_unwinder = Unwinder::kFast;
  const Stack stack = racelens::detail::SymbolizeForReport(id);
  ASSERT_THAT(stack, SizeIs(::testing::Ge(4u)));
  EXPECT_THAT(stack[0], FrameIs("StackInner(int)", kInnerLine));
  EXPECT_THAT(stack[3].function, HasSubstr("FromSiteA()"));
  EXPECT_EQ(stack.back().function, "main");
  EXPECT_THAT(Functions(stack), Not(::testing::Contains(HasSubstr("__libc_start"))));
}

TEST(Symbolizer, ReportStackOfAThreadEndsAtItsEntry) {
  Stack stack;
  std::thread([&] { stack = racelens::detail::SymbolizeForReport(FromSiteB()); }).join();
  ASSERT_THAT(stack, SizeIs(::testing::Ge(5u)));
  EXPECT_THAT(stack[0], FrameIs("StackInner(int)", kInnerLine));
  EXPECT_THAT(stack[3].function, HasSubstr("FromSiteB()"));
  // The thread's lambda ("operator()" when inlined into std::thread's glue).
  EXPECT_THAT(stack.back().function, HasSubstr("operator()"));
  EXPECT_THAT(stack.back().file, EndsWith("stack_test.cpp"));
  EXPECT_THAT(Functions(stack), Not(::testing::Contains(HasSubstr("start_thread"))));
  EXPECT_THAT(Functions(stack), Not(::testing::Contains(HasSubstr("std::thread"))));
}

// ---- TrimRuntimeFrames on hand-made stacks ----------------------------------

Frame F(std::string function, std::string file = "", int line = 0) {
  return Frame{std::move(function), std::move(file), line, 0};
}

const Frame kAcquire =
    F("racelens::Lock::acquire(bool, double)", "/work/main/instrument/src/primitives/lock.cpp", 40);
const Frame kTimedLock = F("racelens::detail::TimedLockable<racelens::Lock>::lock()",
                           "/work/main/instrument/include/racelens/detail/timed_lockable.hpp", 20);
const Frame kLockGuard = F("std::lock_guard<racelens::Lock>::lock_guard(racelens::Lock&)",
                           "/usr/include/c++/12/bits/std_mutex.h", 229);
const Frame kWorker = F("worker(racelens::Lock&)", "samples/counter.cpp", 18);
const Frame kMain = F("main", "samples/counter.cpp", 30);
const Frame kLibcTail[] = {
    F("__libc_start_call_main", "../sysdeps/nptl/libc_start_call_main.h", 58),
    F("__libc_start_main_impl", "../csu/libc-start.c", 360), F("_start"), F("")};

Stack WithLibcTail(Stack stack) {
  stack.insert(stack.end(), std::begin(kLibcTail), std::end(kLibcTail));
  return stack;
}

TEST(TrimRuntimeFrames, DropsRuntimeFramesStdHelpersAndTheLibcTail) {
  const Stack trimmed = racelens::detail::TrimRuntimeFrames(
      WithLibcTail({kAcquire, kTimedLock, kLockGuard, kWorker, kMain}));
  EXPECT_THAT(Functions(trimmed), ElementsAre("worker(racelens::Lock&)", "main"));
  EXPECT_EQ(trimmed[0].line, 18);
}

TEST(TrimRuntimeFrames, DropsThreadStartFrames) {
  const Stack trimmed = racelens::detail::TrimRuntimeFrames({
      kAcquire,
      kTimedLock,
      F("user_fn()", "app/main.cpp", 7),
      F("main::{lambda()#1}::operator()() const", "app/main.cpp", 12),
      F("void std::__invoke_impl<void, main::{lambda()#1}>(std::__invoke_other, "
        "main::{lambda()#1}&&)",
        "/usr/include/c++/12/bits/invoke.h", 61),
      F("std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#1}> > "
        ">::_M_run()",
        "/usr/include/c++/12/bits/std_thread.h", 252),
      F("execute_native_thread_routine"),
      F("start_thread", "./nptl/pthread_create.c", 442),
      F("clone3", "../sysdeps/unix/sysv/linux/x86_64/clone3.S", 81),
  });
  EXPECT_THAT(Functions(trimmed),
              ElementsAre("user_fn()", "main::{lambda()#1}::operator()() const"));
}

TEST(TrimRuntimeFrames, DropsTheRacelensTrampolineBelowAThreadTarget) {
  const Stack trimmed = racelens::detail::TrimRuntimeFrames({
      kAcquire,
      F("consumer()", "app/main.cpp", 7),
      F("std::function<void ()>::operator()() const", "/usr/include/c++/12/bits/std_function.h",
        591),
      F("racelens::(anonymous namespace)::RunThread(std::shared_ptr<racelens::detail::"
        "ThreadState>)",
        "/work/main/instrument/src/primitives/thread.cpp", 48),
      F("std::thread::_State_impl<...>::_M_run()", "/usr/include/c++/12/bits/std_thread.h", 252),
      F("execute_native_thread_routine"),
      F("start_thread"),
      F("clone3"),
  });
  EXPECT_THAT(Functions(trimmed), ElementsAre("consumer()"));
}

TEST(TrimRuntimeFrames, UsesFunctionNamesWhenThereIsNoDebugInfo) {
  const Stack trimmed = racelens::detail::TrimRuntimeFrames(WithLibcTail({
      F("racelens::Lock::acquire(bool, double)"),
      F("void racelens::detail::Notify<int>(int)"),
      F("std::lock_guard<racelens::Lock>::lock_guard(racelens::Lock&)"),
      F("worker(racelens::Lock&)"),
      F("racelens::Future<int> make_future(racelens::Lock&)"),
      F("main"),
  }));
  EXPECT_THAT(Functions(trimmed),
              ElementsAre("worker(racelens::Lock&)",
                          "racelens::Future<int> make_future(racelens::Lock&)", "main"));
}

TEST(TrimRuntimeFrames, InstalledHeadersAreRuntimeFrames) {
  const Stack trimmed =
      racelens::detail::TrimRuntimeFrames({F("racelens::Queue<int>::put(int, bool, double)",
                                             "/opt/racelens/include/racelens/queue.hpp", 90),
                                           kMain});
  EXPECT_THAT(Functions(trimmed), ElementsAre("main"));
}

TEST(TrimRuntimeFrames, KeepsStdFramesWithoutRuntimeFramesAbove) {
  const Stack stack = {F("std::vector<int, std::allocator<int> >::push_back(int const&)",
                         "/usr/include/c++/12/bits/stl_vector.h", 1280),
                       kWorker, kMain};
  EXPECT_THAT(Functions(racelens::detail::TrimRuntimeFrames(WithLibcTail(stack))),
              ElementsAre(stack[0].function, kWorker.function, "main"));
}

TEST(TrimRuntimeFrames, RacelensNamespaceOutsideTheRuntimeSourcesIsUserCode) {
  const Stack trimmed = racelens::detail::TrimRuntimeFrames(
      {kAcquire,
       F("racelens::detail::(anonymous namespace)::Helper()",
         "/work/main/tests/detect/lock_order_test.cpp", 12),
       F("racelens::detail::(anonymous namespace)::LockOrder_Cycle_Test::TestBody()",
         "/work/main/tests/detect/lock_order_test.cpp", 30),
       F("x", "/home/me/myinstrument/src/x.cpp", 3)});
  EXPECT_THAT(trimmed, SizeIs(3u));
  EXPECT_THAT(trimmed[0].function, HasSubstr("Helper()"));
  EXPECT_EQ(trimmed[2].function, "x");
}

TEST(TrimRuntimeFrames, KeepsUserFramesBetweenRuntimeFrames) {
  const Stack trimmed = racelens::detail::TrimRuntimeFrames(
      WithLibcTail({kAcquire, F("on_done(racelens::Future<int>&)", "app/a.cpp", 3),
                    F("racelens::Future<int>::set_result(int)",
                      "/work/main/instrument/include/racelens/"
                      "futures.hpp",
                      80),
                    kMain}));
  EXPECT_THAT(Functions(trimmed), ElementsAre("on_done(racelens::Future<int>&)",
                                              "racelens::Future<int>::set_result(int)", "main"));
}

TEST(TrimRuntimeFrames, AStackWithoutUserFramesKeepsItsRuntimeFrames) {
  const Stack trimmed = racelens::detail::TrimRuntimeFrames({
      kAcquire,
      F("racelens::ThreadPoolExecutor::Worker()", "/work/main/instrument/src/pool.cpp", 10),
      F("std::thread::_State_impl<...>::_M_run()", "/usr/include/c++/12/bits/std_thread.h", 252),
      F("execute_native_thread_routine"),
      F("start_thread"),
      F("clone3"),
      F(""),
  });
  EXPECT_THAT(Functions(trimmed),
              ElementsAre(kAcquire.function, "racelens::ThreadPoolExecutor::Worker()"));
}

TEST(TrimRuntimeFrames, EmptyStaysEmpty) {
  EXPECT_THAT(racelens::detail::TrimRuntimeFrames({}), IsEmpty());
}

TEST(QualifiedFunctionName, StripsReturnTypeParametersAndQualifiers) {
  using racelens::detail::QualifiedFunctionName;
  EXPECT_EQ(QualifiedFunctionName("main"), "main");
  EXPECT_EQ(QualifiedFunctionName("racelens::Lock::acquire(bool, double)"),
            "racelens::Lock::acquire");
  EXPECT_EQ(QualifiedFunctionName("void racelens::detail::Notify<int>(int)"),
            "racelens::detail::Notify<int>");
  EXPECT_EQ(QualifiedFunctionName("char const* racelens::detail::Name(int) const &"),
            "racelens::detail::Name");
  EXPECT_EQ(QualifiedFunctionName("main::{lambda()#1}::operator()() const"),
            "main::{lambda()#1}::operator()");
  EXPECT_EQ(QualifiedFunctionName("racelens::Lock::operator bool() const"),
            "racelens::Lock::operator bool");
  EXPECT_EQ(QualifiedFunctionName("bool std::operator< <int>(std::vector<int> const&, "
                                  "std::vector<int> const&)"),
            "std::operator< <int>");
  EXPECT_EQ(QualifiedFunctionName("(anonymous namespace)::Helper(int) [clone .constprop.0] "
                                  "[clone .cold]"),
            "(anonymous namespace)::Helper");
  EXPECT_EQ(QualifiedFunctionName("std::map<int, int, std::less<int>, std::allocator<std::pair<"
                                  "int const, int> > >::at(int const&)"),
            "std::map<int, int, std::less<int>, std::allocator<std::pair<int const, int> > >::at");
  EXPECT_EQ(QualifiedFunctionName(""), "");
}

}  // namespace
