// tests/instrument/thread_test.cpp — racelens::Thread and its companions against Python's
// `threading` semantics: targets and arguments, subclasses overriding run(), the errors of
// start()/join()/set_daemon(), names ("Thread-<n>", "MainThread", "Dummy-<n>"), ident and
// native_id, daemon inheritance, current_thread/main_thread/enumerate/active_count/get_ident,
// exceptions escaping a thread (threading.excepthook's "Exception in thread <name>:"), and Timer,
// local<T>, sleep and monotonic. Orderings are forced with Events, never with sleeps.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "racelens/racelens.hpp"
#include "support/bunch.hpp"

namespace racelens {
namespace {

using racelens::testing::WaitUntilTrue;
using ::testing::HasSubstr;
using ::testing::StrEq;
using ::testing::ThrowsMessage;

bool Contains(const std::vector<ThreadHandle>& threads, const ThreadHandle& h) {
  return std::find(threads.begin(), threads.end(), h) != threads.end();
}

// --- targets and arguments ------------------------------------------------------------------

TEST(ThreadTest, TargetReceivesArguments) {
  int got_int = 0;
  std::string got_string;
  Thread t(
      [&](int i, std::string s) {
        got_int = i;
        got_string = std::move(s);
      },
      7, std::string("seven"));
  t.start();
  t.join();
  EXPECT_EQ(got_int, 7);
  EXPECT_EQ(got_string, "seven");
}

TEST(ThreadTest, ArgumentsAreCopiedIntoTheThread) {
  int value = 1;
  int seen = 0;
  Thread t([&seen](int v) { seen = v; }, value);
  value = 2;  // the thread got its own copy at construction
  t.start();
  t.join();
  EXPECT_EQ(seen, 1);
}

TEST(ThreadTest, MoveOnlyArguments) {
  int seen = 0;
  auto p = std::make_unique<int>(41);
  Thread t([&seen](std::unique_ptr<int> q) { seen = *q + 1; }, std::move(p));
  t.start();
  t.join();
  EXPECT_EQ(seen, 42);
}

TEST(ThreadTest, MoveOnlyTarget) {
  auto p = std::make_unique<int>(5);
  int seen = 0;
  Thread t([&seen, p = std::move(p)] { seen = *p; });
  t.start();
  t.join();
  EXPECT_EQ(seen, 5);
}

TEST(ThreadTest, StdRefSharesAnArgument) {
  int shared = 0;
  Thread t([](int& r) { r = 42; }, std::ref(shared));
  t.start();
  t.join();
  EXPECT_EQ(shared, 42);
}

void FreeFunction(int a, int b, int* out) { *out = a + b; }

TEST(ThreadTest, FunctionPointerTarget) {
  int out = 0;
  Thread t(FreeFunction, 2, 3, &out);
  t.start();
  t.join();
  EXPECT_EQ(out, 5);
}

TEST(ThreadTest, TargetObjectMayBeDestroyedWhileRunning) {
  // The runtime owns the callable: destroying the Thread object of a finished or running
  // non-daemon thread waits for it (as the program does at exit) and is otherwise harmless.
  Event go;
  std::atomic<bool> ran{false};
  {
    Thread t([&] {
      go.wait();
      ran = true;
    });
    t.start();
    go.set();
  }
  EXPECT_TRUE(ran.load());
}

TEST(ThreadTest, ThreadOptionsNameAndDaemon) {
  Thread t(ThreadOptions{.name = "worker", .daemon = true}, [] {});
  EXPECT_EQ(t.name(), "worker");
  EXPECT_TRUE(t.daemon());
  t.start();
  t.join();
  EXPECT_EQ(t.name(), "worker");

  Thread u(ThreadOptions{.name = "other", .daemon = false}, [](int) {}, 1);
  EXPECT_EQ(u.name(), "other");
  EXPECT_FALSE(u.daemon());
  u.start();
  u.join();
}

TEST(ThreadTest, SetName) {
  Event go;
  std::string inside;
  Thread t([&] {
    go.wait();
    inside = current_thread().name();
  });
  t.set_name("renamed");
  EXPECT_EQ(t.name(), "renamed");
  t.start();
  go.set();
  t.join();
  EXPECT_EQ(inside, "renamed");
}

// --- subclassing ----------------------------------------------------------------------------

class Counter : public Thread {
 public:
  explicit Counter(int n) : n_(n) {}
  int total() const { return total_; }

 protected:
  void run() override {
    for (int i = 1; i <= n_; ++i) total_ += i;
  }

 private:
  int n_;
  int total_ = 0;
};

TEST(ThreadTest, SubclassOverridingRun) {
  Counter c(10);
  c.start();
  c.join();
  EXPECT_EQ(c.total(), 55);
  EXPECT_FALSE(c.is_alive());
}

class NamedWorker : public Thread {
 public:
  NamedWorker() : Thread(ThreadOptions{.name = "named-worker", .daemon = {}}) {}
  std::string seen;

 protected:
  void run() override { seen = current_thread().name(); }
};

TEST(ThreadTest, SubclassWithOptions) {
  NamedWorker w;
  w.start();
  w.join();
  EXPECT_EQ(w.seen, "named-worker");
}

// --- errors ---------------------------------------------------------------------------------

TEST(ThreadTest, StartTwiceRaises) {
  Thread t([] {});
  t.start();
  EXPECT_THAT([&] { t.start(); },
              ThrowsMessage<RuntimeError>(StrEq("threads can only be started once")));
  t.join();
  EXPECT_THAT([&] { t.start(); },
              ThrowsMessage<RuntimeError>(StrEq("threads can only be started once")));
}

TEST(ThreadTest, JoinBeforeStartRaises) {
  Thread t([] {});
  EXPECT_THAT([&] { t.join(); },
              ThrowsMessage<RuntimeError>(StrEq("cannot join thread before it is started")));
  EXPECT_THAT([&] { t.join(0.01); },
              ThrowsMessage<RuntimeError>(StrEq("cannot join thread before it is started")));
  t.start();
  t.join();
}

TEST(ThreadTest, JoinSelfRaises) {
  std::string via_handle;
  std::string via_object;
  Thread* self = nullptr;
  Thread t([&] {
    try {
      current_thread().join();
    } catch (const RuntimeError& e) {
      via_handle = e.what();
    }
    try {
      self->join();
    } catch (const RuntimeError& e) {
      via_object = e.what();
    }
  });
  self = &t;  // written before start(), which orders it before the thread's read
  t.start();
  t.join();
  EXPECT_EQ(via_handle, "cannot join current thread");
  EXPECT_EQ(via_object, "cannot join current thread");
}

TEST(ThreadTest, JoinMainThreadFromMainRaises) {
  ASSERT_EQ(current_thread(), main_thread()) << "gtest runs tests on the main thread";
  EXPECT_THAT([] { main_thread().join(); },
              ThrowsMessage<RuntimeError>(StrEq("cannot join current thread")));
}

TEST(ThreadTest, SetDaemonAfterStartRaises) {
  Event release;
  Thread t([&] { release.wait(); });
  t.set_daemon(true);
  EXPECT_TRUE(t.daemon());
  t.set_daemon(false);
  EXPECT_FALSE(t.daemon());
  t.start();
  EXPECT_THAT([&] { t.set_daemon(true); },
              ThrowsMessage<RuntimeError>(StrEq("cannot set daemon status of active thread")));
  EXPECT_FALSE(t.daemon());
  release.set();
  t.join();
}

// --- join and liveness ----------------------------------------------------------------------

TEST(ThreadTest, JoinWithTimeoutOnBlockedThread) {
  Event release;
  Thread t([&] { release.wait(); });
  t.start();
  t.join(0.05);
  EXPECT_TRUE(t.is_alive()) << "join(timeout) returned but the thread cannot have finished";
  t.join(0);
  EXPECT_TRUE(t.is_alive());
  release.set();
  t.join();
  EXPECT_FALSE(t.is_alive());
  t.join();  // joining a finished thread again is fine
  t.join(0.01);
}

TEST(ThreadTest, HandleJoinWithTimeout) {
  Event release;
  Thread t([&] { release.wait(); });
  t.start();
  ThreadHandle h = t.handle();
  h.join(0.02);
  EXPECT_TRUE(h.is_alive());
  release.set();
  h.join();
  EXPECT_FALSE(h.is_alive());
  EXPECT_FALSE(t.is_alive());
  t.join();
}

TEST(ThreadTest, IsAlive) {
  Event started;
  Event release;
  Thread t([&] {
    started.set();
    release.wait();
  });
  EXPECT_FALSE(t.is_alive());
  t.start();
  started.wait();
  EXPECT_TRUE(t.is_alive());
  release.set();
  t.join();
  EXPECT_FALSE(t.is_alive());
}

// --- names ----------------------------------------------------------------------------------

TEST(ThreadTest, DefaultNamePattern) {
  const std::regex pattern("Thread-([0-9]+)");
  Thread a([] {});
  Thread b([] {});
  std::smatch ma;
  std::smatch mb;
  const std::string na = a.name();
  const std::string nb = b.name();
  ASSERT_TRUE(std::regex_match(na, ma, pattern)) << na;
  ASSERT_TRUE(std::regex_match(nb, mb, pattern)) << nb;
  EXPECT_NE(na, nb);
  a.start();
  b.start();
  a.join();
  b.join();
}

TEST(ThreadTest, MainThreadName) {
  EXPECT_EQ(main_thread().name(), "MainThread");
  EXPECT_EQ(current_thread().name(), "MainThread");
  EXPECT_FALSE(main_thread().daemon());
  EXPECT_TRUE(main_thread().is_alive());
  EXPECT_EQ(main_thread().runtime_id(), 0);
  std::optional<ThreadHandle> main_seen_inside;
  Thread t([&] { main_seen_inside = main_thread(); });
  t.start();
  t.join();
  ASSERT_TRUE(main_seen_inside.has_value());
  EXPECT_EQ(*main_seen_inside, main_thread());
  EXPECT_EQ(main_seen_inside->name(), "MainThread");
}

TEST(ThreadTest, ForeignThreadIsDummy) {
  std::string name;
  bool alive = false;
  bool same_twice = false;
  std::optional<std::uint64_t> ident;
  std::uint64_t get_ident_value = 0;
  std::thread foreign([&] {
    ThreadHandle h = current_thread();
    name = h.name();
    alive = h.is_alive();
    same_twice = (current_thread() == h);
    ident = h.ident();
    get_ident_value = get_ident();
  });
  foreign.join();
  EXPECT_TRUE(std::regex_match(name, std::regex("Dummy-[0-9]+"))) << name;
  EXPECT_TRUE(alive);
  EXPECT_TRUE(same_twice);
  ASSERT_TRUE(ident.has_value());
  EXPECT_EQ(*ident, get_ident_value);
}

// --- ident and native_id --------------------------------------------------------------------

TEST(ThreadTest, IdentAndNativeId) {
  Event started;
  Event release;
  std::uint64_t inside_ident = 0;
  std::uint64_t inside_native = 0;
  std::optional<std::uint64_t> inside_handle_ident;
  Thread t([&] {
    inside_ident = get_ident();
    inside_native = get_native_id();
    inside_handle_ident = current_thread().ident();
    started.set();
    release.wait();
  });
  EXPECT_FALSE(t.ident().has_value());
  EXPECT_FALSE(t.native_id().has_value());
  EXPECT_FALSE(t.handle().ident().has_value());
  t.start();
  started.wait();
  ASSERT_TRUE(t.ident().has_value());
  ASSERT_TRUE(t.native_id().has_value());
  EXPECT_EQ(*t.ident(), inside_ident);
  EXPECT_EQ(*t.native_id(), inside_native);
  EXPECT_EQ(inside_handle_ident, t.ident());
  EXPECT_NE(*t.ident(), get_ident());
  EXPECT_NE(*t.native_id(), get_native_id());
  release.set();
  t.join();
  // Python keeps ident after the thread finished.
  EXPECT_EQ(t.ident(), std::optional<std::uint64_t>(inside_ident));
}

TEST(ThreadTest, GetIdentMatchesCurrentThread) {
  EXPECT_EQ(std::optional<std::uint64_t>(get_ident()), current_thread().ident());
  EXPECT_EQ(std::optional<std::uint64_t>(get_native_id()), current_thread().native_id());
  bool match = false;
  bool native_match = false;
  Thread t([&] {
    match = current_thread().ident() == std::optional<std::uint64_t>(get_ident());
    native_match = current_thread().native_id() == std::optional<std::uint64_t>(get_native_id());
  });
  t.start();
  t.join();
  EXPECT_TRUE(match);
  EXPECT_TRUE(native_match);
}

// --- daemon ---------------------------------------------------------------------------------

TEST(ThreadTest, DaemonDefaultsToFalseFromMain) {
  Thread t([] {});
  EXPECT_FALSE(t.daemon());
  t.start();
  t.join();
}

TEST(ThreadTest, DaemonInheritedFromCreator) {
  std::optional<bool> child_of_daemon;
  std::optional<bool> explicit_child_of_daemon;
  std::optional<bool> child_of_non_daemon;
  Thread daemon_parent(ThreadOptions{.name = "daemon-parent", .daemon = true}, [&] {
    Thread child([] {});
    child_of_daemon = child.daemon();
    Thread explicit_child(ThreadOptions{.name = {}, .daemon = false}, [] {});
    explicit_child_of_daemon = explicit_child.daemon();
    child.start();
    explicit_child.start();
    child.join();
    explicit_child.join();
  });
  Thread plain_parent([&] {
    Thread child([] {});
    child_of_non_daemon = child.daemon();
    child.start();
    child.join();
  });
  daemon_parent.start();
  plain_parent.start();
  daemon_parent.join();
  plain_parent.join();
  EXPECT_EQ(child_of_daemon, std::optional<bool>(true));
  EXPECT_EQ(explicit_child_of_daemon, std::optional<bool>(false));
  EXPECT_EQ(child_of_non_daemon, std::optional<bool>(false));
}

// --- current_thread, enumerate, active_count ------------------------------------------------

TEST(ThreadTest, CurrentThreadInsideThreadIsItsHandle) {
  std::optional<ThreadHandle> inside;
  bool stable = false;
  Thread t([&] {
    inside = current_thread();
    stable = (current_thread() == *inside);
  });
  t.start();
  t.join();
  ASSERT_TRUE(inside.has_value());
  EXPECT_EQ(*inside, t.handle());
  EXPECT_TRUE(stable);
  EXPECT_EQ(inside->name(), t.name());
  EXPECT_FALSE(*inside == main_thread());
}

TEST(ThreadTest, EnumerateAndActiveCount) {
  EXPECT_TRUE(Contains(enumerate(), main_thread()));
  const std::size_t before = active_count();
  EXPECT_EQ(enumerate().size(), before);

  constexpr int kThreads = 4;
  Event release;
  std::atomic<int> started{0};
  std::deque<Thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      started.fetch_add(1);
      release.wait();
    });
  }
  // Not started yet: not listed.
  for (auto& t : threads) EXPECT_FALSE(Contains(enumerate(), t.handle()));
  EXPECT_EQ(active_count(), before);

  for (auto& t : threads) t.start();
  ASSERT_TRUE(WaitUntilTrue([&] { return started.load() == kThreads; }));
  const std::vector<ThreadHandle> running = enumerate();
  for (auto& t : threads) EXPECT_TRUE(Contains(running, t.handle()));
  EXPECT_TRUE(Contains(running, main_thread()));
  EXPECT_EQ(active_count(), before + kThreads);
  EXPECT_EQ(running.size(), active_count());

  release.set();
  for (auto& t : threads) t.join();
  const std::vector<ThreadHandle> after = enumerate();
  for (auto& t : threads) EXPECT_FALSE(Contains(after, t.handle()));
  EXPECT_EQ(active_count(), before);
}

// --- exceptions -----------------------------------------------------------------------------

TEST(ThreadTest, ExceptionInThreadIsPrintedAndDoesNotCrash) {
  ::testing::internal::CaptureStderr();
  Thread t(ThreadOptions{.name = "boom", .daemon = {}},
           [] { throw std::runtime_error("kaboom in a thread"); });
  t.start();
  t.join();
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, HasSubstr("Exception in thread boom:"));
  EXPECT_THAT(err, HasSubstr("kaboom in a thread"));
  EXPECT_FALSE(t.is_alive());
}

TEST(ThreadTest, RacelensErrorInThreadIsPrinted) {
  ::testing::internal::CaptureStderr();
  Queue<int> q;
  Thread t(ThreadOptions{.name = "getter", .daemon = {}}, [&] { q.get_nowait(); });
  t.start();
  t.join();
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, HasSubstr("Exception in thread getter:"));
  EXPECT_FALSE(t.is_alive());
}

class ThrowingRun : public Thread {
 public:
  ThrowingRun() : Thread(ThreadOptions{.name = "throwing-run", .daemon = {}}) {}

 protected:
  void run() override { throw ValueError("bad value in run"); }
};

TEST(ThreadTest, ExceptionInRunIsPrinted) {
  ::testing::internal::CaptureStderr();
  ThrowingRun t;
  t.start();
  t.join();
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, HasSubstr("Exception in thread throwing-run:"));
  EXPECT_THAT(err, HasSubstr("bad value in run"));
  // The program goes on: other threads still run.
  int ran = 0;
  Thread u([&] { ran = 1; });
  u.start();
  u.join();
  EXPECT_EQ(ran, 1);
}

// --- Timer ----------------------------------------------------------------------------------

TEST(TimerTest, FiresOnceAfterInterval) {
  constexpr double kInterval = 0.05;
  std::atomic<int> calls{0};
  double fired_at = 0;
  const double start = monotonic();
  Timer t(kInterval, [&] {
    fired_at = monotonic();
    calls.fetch_add(1);
  });
  t.start();
  t.join();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_GE(fired_at - start, kInterval - 1e-6);  // 1 us for rounding
  EXPECT_FALSE(t.is_alive());
}

TEST(TimerTest, PassesArguments) {
  int sum = 0;
  Timer t(0.0, [&sum](int a, int b) { sum = a + b; }, 20, 22);
  t.start();
  t.join();
  EXPECT_EQ(sum, 42);
}

TEST(TimerTest, CancelBeforeItFires) {
  std::atomic<int> calls{0};
  Timer t(30.0, [&] { calls.fetch_add(1); });
  t.start();
  t.cancel();
  t.join();  // returns promptly: cancel() ends the wait
  EXPECT_EQ(calls.load(), 0);
  EXPECT_FALSE(t.is_alive());
}

TEST(TimerTest, CancelBeforeStart) {
  std::atomic<int> calls{0};
  Timer t(0.0, [&] { calls.fetch_add(1); });
  t.cancel();
  t.start();
  t.join();
  EXPECT_EQ(calls.load(), 0);
}

TEST(TimerTest, CancelAfterFiringHasNoEffect) {
  std::atomic<int> calls{0};
  Timer t(0.0, [&] { calls.fetch_add(1); });
  t.start();
  t.join();
  t.cancel();
  EXPECT_EQ(calls.load(), 1);
}

TEST(TimerTest, IsAThreadWithOptions) {
  std::string name;
  Timer t(ThreadOptions{.name = "my-timer", .daemon = true}, 0.0,
          [&] { name = current_thread().name(); });
  EXPECT_TRUE(t.daemon());
  t.start();
  t.join();
  EXPECT_EQ(name, "my-timer");
}

// --- local<T> -------------------------------------------------------------------------------

TEST(LocalTest, EachThreadSeesItsOwnValue) {
  local<int> value{42};
  EXPECT_EQ(*value, 42);
  *value = 1;
  constexpr int kThreads = 4;
  std::vector<int> first_seen(kThreads, -1);
  std::vector<int> last_seen(kThreads, -1);
  Barrier all_set(kThreads);
  std::deque<Thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      first_seen[i] = value.get();
      *value = 100 + i;
      all_set.wait();  // every thread wrote its own value before any reads it back
      last_seen[i] = *value;
    });
  }
  for (auto& t : threads) t.start();
  for (auto& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_EQ(first_seen[i], 42) << i;
    EXPECT_EQ(last_seen[i], 100 + i) << i;
  }
  EXPECT_EQ(*value, 1);
}

struct Data {
  Data(std::string s, int n) : label(std::move(s)), number(n) {}
  std::string label;
  int number;
  std::vector<int> items;
};

TEST(LocalTest, ConstructorArgumentsCopiedPerThread) {
  std::string label = "initial";
  local<Data> data{label, 7};
  label = "changed";  // the local keeps its own copy
  data->label += "-main";
  data->number = 0;
  data->items.push_back(1);
  std::string seen_label;
  int seen_number = -1;
  std::size_t seen_items = 99;
  Thread t([&] {
    seen_label = data->label;
    seen_number = (*data).number;
    seen_items = data.get().items.size();
    data->label += "-thread";  // modifies this thread's copy only
  });
  t.start();
  t.join();
  EXPECT_EQ(seen_label, "initial");
  EXPECT_EQ(seen_number, 7);
  EXPECT_EQ(seen_items, 0u);
  EXPECT_EQ(data->label, "initial-main");
  // A later thread starts from the constructor's arguments again.
  Thread u([&] { seen_label = data->label; });
  u.start();
  u.join();
  EXPECT_EQ(seen_label, "initial");
}

struct Counted {
  static std::atomic<int> constructed;
  static std::atomic<int> destroyed;
  explicit Counted(int v = 0) : value(v) { constructed.fetch_add(1); }
  Counted(const Counted&) = delete;
  Counted& operator=(const Counted&) = delete;
  ~Counted() { destroyed.fetch_add(1); }
  int value;
};
std::atomic<int> Counted::constructed{0};
std::atomic<int> Counted::destroyed{0};

TEST(LocalTest, ValuesDestroyedAtThreadExit) {
  const int constructed0 = Counted::constructed.load();
  const int destroyed0 = Counted::destroyed.load();
  local<Counted> counted{5};
  constexpr int kThreads = 3;
  std::deque<Thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      EXPECT_EQ(counted->value, 5);
      counted->value = 6;
      EXPECT_EQ(counted.get().value, 6);  // created once per thread, on first access
    });
  }
  for (auto& t : threads) t.start();
  for (auto& t : threads) t.join();
  EXPECT_EQ(Counted::constructed.load() - constructed0, kThreads);
  EXPECT_TRUE(WaitUntilTrue([&] { return Counted::destroyed.load() - destroyed0 == kThreads; }))
      << "destroyed " << Counted::destroyed.load() - destroyed0 << " of " << kThreads;

  // A thread that never touches the local creates nothing.
  Thread idle([] {});
  idle.start();
  idle.join();
  EXPECT_EQ(Counted::constructed.load() - constructed0, kThreads);
}

TEST(LocalTest, ValuesDestroyedWithTheLocal) {
  const int constructed0 = Counted::constructed.load();
  const int destroyed0 = Counted::destroyed.load();
  Event touched;
  Event release;
  auto counted = std::make_unique<local<Counted>>();
  (*counted)->value = 1;  // the main thread's value
  Thread worker([&] {
    (*counted)->value = 2;  // the worker's value
    touched.set();
    release.wait();
  });
  worker.start();
  touched.wait();
  EXPECT_EQ(Counted::constructed.load() - constructed0, 2);
  EXPECT_EQ(Counted::destroyed.load() - destroyed0, 0);
  // The local goes away while the worker still runs: both values are destroyed now...
  counted.reset();
  EXPECT_EQ(Counted::destroyed.load() - destroyed0, 2);
  // ...and not a second time when the worker exits.
  release.set();
  worker.join();
  EXPECT_EQ(Counted::destroyed.load() - destroyed0, 2);
}

// --- sleep and monotonic --------------------------------------------------------------------

TEST(TimeTest, SleepRejectsNegative) {
  EXPECT_THAT([] { racelens::sleep(-1); },
              ThrowsMessage<ValueError>(StrEq("sleep length must be non-negative")));
  EXPECT_THAT([] { racelens::sleep(-0.001); },
              ThrowsMessage<ValueError>(StrEq("sleep length must be non-negative")));
  EXPECT_NO_THROW(racelens::sleep(0));
}

TEST(TimeTest, SleepLastsAtLeastItsLength) {
  const double start = monotonic();
  racelens::sleep(0.02);
  EXPECT_GE(monotonic() - start, 0.02 - 1e-6);  // 1 us for rounding
}

TEST(TimeTest, MonotonicNeverDecreases) {
  double last = monotonic();
  for (int i = 0; i < 10000; ++i) {
    const double now = monotonic();
    ASSERT_GE(now, last);
    last = now;
  }
  // Also across threads: a value read after a join is not smaller than one read inside.
  double inside = 0;
  Thread t([&] { inside = monotonic(); });
  t.start();
  t.join();
  EXPECT_GE(monotonic(), inside);
}

}  // namespace
}  // namespace racelens
