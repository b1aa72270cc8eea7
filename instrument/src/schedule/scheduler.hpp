// schedule/scheduler.hpp — the controlled scheduler: one racelens thread runs at a time.
//
// Under `schedule=random` or `pct` every racelens thread (the main thread, each
// racelens::Thread) has a slot here. Exactly one thread holds the token and
// runs; every other one sleeps on its own futex word (`turn`), through raw
// futex system calls, never through the intercepted FutexWait. The token moves
// only at
// - a scheduling point (Point, Yield): the strategy picks among the runnable
//   threads, the caller included;
// - a blocking wait (Block, from FutexWait): the caller queues FIFO on the
//   word and the strategy picks among the others;
// - the end of a thread (Exit).
// FutexWake becomes Wake: the woken threads become runnable, nobody switches.
//
// Time is virtual (a clock the scheduler owns, starting at kEpoch): while the
// scheduler is installed, detail::SteadyNow() reads it, so `sleep`,
// `monotonic`, Timer and the timeouts of every primitive (Deadline, FutexWait
// -> Block) use it and nothing waits in real time. Only the token holder
// advances it, at a pick:
// - the candidates are the runnable threads plus the timed waiters whose
//   deadline is at most max(now, earliest deadline of a timed waiter), ties
//   included; so the earliest timed waiter can fire before another thread
//   reaches a wait ("early firing"), and when nothing is runnable the clock
//   jumps to the earliest deadline;
// - picking a timed waiter sets the clock to max(now, its deadline); a waiter
//   fired early is deferred (Strategy::Defer: it skips its next pick), so
//   that a loop of timed waits cannot starve the other threads.
// When nothing is runnable and nobody waits with a deadline, no thread can
// ever run again: the scheduler calls the stuck handler (a deadlock report),
// which must not return.
//
// External waits (racelens/detail/external_wait.hpp: a poll, read, write or
// waitpid on another process) are the exception to "nothing waits in real
// time". The waiting thread gives the token away (BeginExternal) and takes a
// turn again when its system call returns (EndExternal). While any thread
// waits externally:
// - the program is never stuck: when nothing can run, the token is left free
//   ("idle") and the first thread back from its external wait takes it;
// - timed waiters fire only when their deadline has passed (no early firing,
//   no jump): while idle, a timekeeper thread (a plain std::thread that never
//   calls racelens) waits the real time the earliest deadline is away, then
//   moves the clock there and hands the token to that waiter.
// And once the process has forked a child (a Process, a pool's worker), its
// clock follows real time from then on (FollowRealTime): work in another
// process takes real time the scheduler cannot see, so a timeout that covers
// it (`AsyncResult.get(5)`) must last its real length. The forked child's own
// clock is virtual again.
//
// Thread-safety: all members are thread-safe; the state is guarded by a
// std::mutex (glibc's, which sleeps without FutexWait), and in practice only
// the token holder changes it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "racelens/detail/deadline.hpp"
#include "schedule/strategy.hpp"

namespace racelens::schedule {

class Scheduler {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  // Where the virtual clock starts.
  static constexpr std::chrono::seconds kEpoch{1000};
  // Called, with the token held, when no thread can ever run again; must not return.
  using StuckHandler = void (*)();

  // Starts the scheduler with the calling thread's slot as the main thread (id 0),
  // holding the token, and points detail::g_steady_now at its virtual clock.
  // Called once, at start-up, before any other racelens thread exists.
  static void Install(std::string name, std::unique_ptr<Strategy> strategy, StuckHandler stuck);
  // The scheduler, or null under schedule=os.
  static Scheduler* Get() noexcept;

  const std::string& name() const noexcept { return name_; }

  // The strategy may let another runnable thread run first.
  void Point();
  // As Point, but the caller is lowered: another candidate goes first when there is one.
  void Yield();
  // `sleep` under the scheduler: waits until the (virtual) deadline. False
  // when the calling thread has no slot (it must sleep in real time).
  bool Sleep(const detail::Deadline& deadline);
  // The virtual clock.
  TimePoint Now() const noexcept;
  // FutexWait under the scheduler: returns at once when `word` no longer holds
  // `expected`; else sleeps until woken, the deadline passes, or spuriously.
  // False when the calling thread has no slot (it must wait in the kernel).
  bool Block(std::atomic<std::uint32_t>& word, std::uint32_t expected,
             const detail::Deadline& deadline);
  // FutexWake under the scheduler: up to `count` waiters on `word` become runnable.
  void Wake(const std::atomic<std::uint32_t>& word, int count);

  // A new thread `id`, runnable; called by its creator (holding the token)
  // right before the OS thread is created.
  void AddThread(int id);
  // Undoes AddThread when the OS thread could not be created.
  void ForgetThread(int id);
  // On the new thread: binds it to its slot and waits for its first turn.
  void Enter(int id);
  // On a finishing thread, after its last racelens operation: hands the token
  // to the next thread and never waits for it again.
  void Exit();
  // An external wait begins: the calling thread is no candidate until
  // EndExternal, and hands the token on without waiting for it.
  void BeginExternal();
  // The external wait ended: the calling thread is runnable again; it takes the
  // token at once when nobody holds it, else waits for its turn. (Other processes
  // exist only after a fork, and from then on the clock follows real time: a timed
  // external wait sees its deadline pass without help.)
  void EndExternal();

  // From now on the clock follows real time, going on from its current value (called
  // in the parent after a fork).
  void FollowRealTime();
  // Held by the forking thread across fork() (the runtime's innermost lock), so
  // that the child's copy of the scheduler is consistent.
  std::unique_lock<std::mutex> LockForFork();
  // In a forked child, with LockForFork's lock held: the calling thread is the
  // only thread and holds the token; no timekeeper runs.
  void AfterForkInChild();

  // True when the calling thread runs under the scheduler.
  bool Manages() const noexcept;

 private:
  enum class State : std::uint8_t { kRunnable, kBlocked, kExternal };
  using RealTime = std::chrono::steady_clock::time_point;
  struct Slot {
    explicit Slot(int id) : id(id) {}
    const int id;
    std::atomic<std::uint32_t> turn{0};
    State state = State::kRunnable;
    const void* word = nullptr;  // when kBlocked
    bool timed = false;
    TimePoint deadline{};
    std::atomic<std::uint32_t> sleep_word{0};  // Sleep blocks on it; nobody wakes it
  };

  Scheduler(std::string name, std::unique_ptr<Strategy> strategy, StuckHandler stuck);
  Slot* Self() noexcept;
  Slot* SelfLocked() noexcept;  // as Self, with mutex_ held
  // The next thread to run (blocked ones taken off their word, the clock
  // advanced to a picked timed waiter's deadline); null when no thread can
  // ever run again.
  Slot* PickLocked();
  void MakeRunnableLocked(Slot& slot);
  // Gives the token to `next` and, unless `self` is null, waits to get it back.
  // A null `next`: idle when a thread waits externally, else stuck.
  void SwitchLocked(std::unique_lock<std::mutex>& lock, Slot* self, Slot* next);
  // Leaves the token free; wakes the timekeeper (started on first need) when a
  // timed waiter will have to fire.
  void GoIdleLocked();
  // The earliest timed waiter (ties: the lowest id), or null.
  Slot* EarliestTimedLocked() const;
  void TimekeeperLoop(std::condition_variable& cv);
  // Moves the virtual clock forward to `when` (never back).
  void AdvanceTo(TimePoint when) noexcept;

  const std::string name_;
  const std::unique_ptr<Strategy> strategy_;
  const StuckHandler stuck_;
  mutable std::mutex mutex_;
  std::map<int, std::unique_ptr<Slot>> slots_;        // by id: candidates in creation order
  std::map<const void*, std::deque<Slot*>> waiters_;  // looked up by word, never iterated
  std::uint64_t step_ = 0;
  // The virtual time; once realtime_, the offset of the clock from the steady clock.
  std::atomic<TimePoint::rep> now_{TimePoint(kEpoch).time_since_epoch().count()};
  std::atomic<bool> realtime_{false};

  int externals_ = 0;             // slots in kExternal
  bool idle_ = false;             // nobody holds the token
  std::uint64_t idle_epoch_ = 0;  // moves whenever idle_ changes: ends a timekeeper's wait
  // Heap-held so that a forked child can drop its copy (whose waiter lived in the parent).
  // Null until the timekeeper starts; set and read with mutex_ held (atomic only so that the
  // project's own checker, which cannot see a caller's lock, need not be told).
  std::atomic<std::condition_variable*> keeper_cv_{nullptr};
};

}  // namespace racelens::schedule

namespace racelens::schedule {
// Under the scheduler, a thread racelens did not start called racelens: print
// why that is refused and end the process with status 2.
[[noreturn]] void RefuseForeignThread();
}  // namespace racelens::schedule
