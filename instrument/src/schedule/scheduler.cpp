#include "schedule/scheduler.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "racelens/detail/external_wait.hpp"
#include "racelens/detail/sched.hpp"

namespace racelens::detail {

std::atomic<bool> g_sched_active{false};

void SchedPointSlow() noexcept {
  if (schedule::Scheduler* s = schedule::Scheduler::Get()) s->Point();
}

void SchedYieldSlow() noexcept {
  if (schedule::Scheduler* s = schedule::Scheduler::Get()) s->Yield();
}

void ExternalWaitBeginSlow() noexcept {
  if (schedule::Scheduler* s = schedule::Scheduler::Get()) s->BeginExternal();
}

void ExternalWaitEndSlow() noexcept {
  if (schedule::Scheduler* s = schedule::Scheduler::Get()) s->EndExternal();
}

}  // namespace racelens::detail

namespace racelens::schedule {
namespace {

Scheduler* g_scheduler = nullptr;

thread_local void* t_slot = nullptr;

std::uint32_t* Word(std::atomic<std::uint32_t>& a) {
  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));
  return reinterpret_cast<std::uint32_t*>(&a);
}

// Raw futex calls: the scheduler's own waits must never reach the intercepted FutexWait.
void RawWait(std::atomic<std::uint32_t>& word, std::uint32_t expected) {
  syscall(SYS_futex, Word(word), FUTEX_WAIT_PRIVATE, expected, nullptr, nullptr, 0);
}

void RawWake(std::atomic<std::uint32_t>& word) {
  syscall(SYS_futex, Word(word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

void AwaitTurn(std::atomic<std::uint32_t>& turn) {
  while (turn.load(std::memory_order_acquire) == 0) RawWait(turn, 0);
}

// detail::g_steady_now while the scheduler is installed.
std::chrono::steady_clock::time_point VirtualNow() noexcept { return g_scheduler->Now(); }

}  // namespace

void Scheduler::Install(std::string name, std::unique_ptr<Strategy> strategy, StuckHandler stuck) {
  auto* scheduler = new Scheduler(std::move(name), std::move(strategy), stuck);  // never destroyed
  g_scheduler = scheduler;
  detail::g_steady_now.store(VirtualNow, std::memory_order_seq_cst);
  detail::g_sched_active.store(true, std::memory_order_seq_cst);
}

Scheduler* Scheduler::Get() noexcept { return g_scheduler; }

Scheduler::Scheduler(std::string name, std::unique_ptr<Strategy> strategy, StuckHandler stuck)
    : name_(std::move(name)), strategy_(std::move(strategy)), stuck_(stuck) {
  auto main = std::make_unique<Slot>(0);
  main->turn.store(1, std::memory_order_relaxed);
  slots_.emplace(0, std::move(main));
}

Scheduler::Slot* Scheduler::Self() noexcept {
  if (t_slot != nullptr) return static_cast<Slot*>(t_slot);
  if (gettid() != getpid()) return nullptr;
  std::lock_guard lock(mutex_);
  return SelfLocked();
}

Scheduler::Slot* Scheduler::SelfLocked() noexcept {
  if (t_slot != nullptr) return static_cast<Slot*>(t_slot);
  if (gettid() != getpid()) return nullptr;
  // The main thread (id 0), bound on its first scheduling call.
  const auto it = slots_.find(0);
  if (it == slots_.end()) return nullptr;
  t_slot = it->second.get();
  return it->second.get();
}

bool Scheduler::Manages() const noexcept { return t_slot != nullptr || gettid() == getpid(); }

void Scheduler::MakeRunnableLocked(Slot& slot) {
  if (slot.state == State::kBlocked) {
    const auto it = waiters_.find(slot.word);
    if (it != waiters_.end()) {
      std::erase(it->second, &slot);
      if (it->second.empty()) waiters_.erase(it);
    }
  }
  slot.state = State::kRunnable;
  slot.word = nullptr;
  slot.timed = false;
}

Scheduler::TimePoint Scheduler::Now() const noexcept {
  const TimePoint::duration value(now_.load(std::memory_order_relaxed));
  // Following real time, now_ is the offset from the steady clock.
  if (realtime_.load(std::memory_order_acquire)) return std::chrono::steady_clock::now() + value;
  return TimePoint(value);
}

void Scheduler::AdvanceTo(TimePoint when) noexcept {
  const TimePoint now = Now();
  if (when <= now) return;
  if (realtime_.load(std::memory_order_relaxed)) {
    now_.fetch_add((when - now).count(), std::memory_order_relaxed);
  } else {
    now_.store(when.time_since_epoch().count(), std::memory_order_relaxed);
  }
}

void Scheduler::FollowRealTime() {
  std::lock_guard lock(mutex_);
  if (realtime_.load(std::memory_order_relaxed)) return;
  const auto offset = Now() - std::chrono::steady_clock::now();
  now_.store(offset.count(), std::memory_order_relaxed);
  realtime_.store(true, std::memory_order_release);
}

Scheduler::Slot* Scheduler::PickLocked() {
  // Timed waiters up to the horizon fire: those whose deadline passed, and the
  // earliest ones, even when others are runnable (early firing).
  const TimePoint now = Now();
  TimePoint horizon = now;
  bool any_timed = false;
  for (const auto& [id, slot] : slots_) {
    if (slot->state == State::kBlocked && slot->timed) {
      horizon = any_timed ? std::min(horizon, slot->deadline) : slot->deadline;
      any_timed = true;
    }
  }
  horizon = std::max(horizon, now);
  // Once other processes take part, time follows real time: no early firing, no jump
  // (when nothing runs, the timekeeper fires timed waiters).
  if (externals_ > 0 || realtime_.load(std::memory_order_relaxed)) horizon = now;
  std::vector<int> ids;
  std::vector<Slot*> candidates;
  for (const auto& [id, slot] : slots_) {
    if (slot->state == State::kRunnable || (slot->timed && slot->deadline <= horizon)) {
      ids.push_back(id);
      candidates.push_back(slot.get());
    }
  }
  if (candidates.empty()) return nullptr;
  Slot* next = candidates[strategy_->Pick(ids, step_++)];
  if (next->state == State::kBlocked) {
    if (next->deadline > now) strategy_->Defer(next->id);  // fired early
    AdvanceTo(next->deadline);
  }
  MakeRunnableLocked(*next);
  return next;
}

void Scheduler::SwitchLocked(std::unique_lock<std::mutex>& lock, Slot* self, Slot* next) {
  if (next == nullptr && externals_ > 0) {
    GoIdleLocked();
    if (self != nullptr) self->turn.store(0, std::memory_order_relaxed);
    lock.unlock();
    if (self != nullptr) AwaitTurn(self->turn);
    return;
  }
  if (next == nullptr) {
    lock.unlock();
    stuck_();
    std::abort();  // the handler must not return
  }
  if (next == self) return;
  if (self != nullptr) self->turn.store(0, std::memory_order_relaxed);
  next->turn.store(1, std::memory_order_release);
  RawWake(next->turn);  // under the lock: `next` cannot finish and free its slot meanwhile
  lock.unlock();
  if (self != nullptr) AwaitTurn(self->turn);
}

void Scheduler::Point() {
  Slot* self = Self();
  if (self == nullptr) return;
  std::unique_lock lock(mutex_);
  SwitchLocked(lock, self, PickLocked());
}

void Scheduler::Yield() {
  Slot* self = Self();
  if (self == nullptr) {
    sched_yield();
    return;
  }
  std::unique_lock lock(mutex_);
  strategy_->Lower(self->id);
  SwitchLocked(lock, self, PickLocked());
}

bool Scheduler::Sleep(const detail::Deadline& deadline) {
  Slot* self = Self();
  if (self == nullptr) return false;
  while (!deadline.expired()) {
    if (!Block(self->sleep_word, 0, deadline)) return false;
  }
  return true;
}

bool Scheduler::Block(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                      const detail::Deadline& deadline) {
  Slot* self = Self();
  if (self == nullptr) return false;
  std::unique_lock lock(mutex_);
  if (word.load(std::memory_order_seq_cst) != expected) return true;
  if (!deadline.never() && detail::SteadyNow() >= deadline.when()) return true;
  self->state = State::kBlocked;
  self->word = &word;
  self->timed = !deadline.never();
  self->deadline = deadline.when();
  waiters_[&word].push_back(self);
  SwitchLocked(lock, self, PickLocked());
  return true;
}

void Scheduler::Wake(const std::atomic<std::uint32_t>& word, int count) {
  std::lock_guard lock(mutex_);
  const auto it = waiters_.find(&word);
  if (it == waiters_.end()) return;
  std::deque<Slot*>& queue = it->second;
  for (; count > 0 && !queue.empty(); --count) {
    Slot* slot = queue.front();
    queue.pop_front();
    slot->state = State::kRunnable;
    slot->word = nullptr;
    slot->timed = false;
  }
  if (queue.empty()) waiters_.erase(it);
}

void Scheduler::AddThread(int id) {
  std::lock_guard lock(mutex_);
  slots_.emplace(id, std::make_unique<Slot>(id));
  strategy_->AddThread(id);
}

void Scheduler::ForgetThread(int id) {
  std::lock_guard lock(mutex_);
  slots_.erase(id);
}

void Scheduler::Enter(int id) {
  Slot* slot = nullptr;
  {
    std::lock_guard lock(mutex_);
    const auto it = slots_.find(id);
    if (it == slots_.end()) return;  // started before the scheduler: runs freely
    slot = it->second.get();
  }
  t_slot = slot;
  AwaitTurn(slot->turn);
}

void Scheduler::Exit() {
  Slot* self = static_cast<Slot*>(t_slot);
  if (self == nullptr) return;
  t_slot = nullptr;
  std::unique_lock lock(mutex_);
  auto node = slots_.extract(self->id);  // freed once the token is handed on
  SwitchLocked(lock, nullptr, PickLocked());
}

void Scheduler::BeginExternal() {
  Slot* self = Self();
  if (self == nullptr) return;
  std::unique_lock lock(mutex_);
  self->state = State::kExternal;
  ++externals_;
  self->turn.store(0, std::memory_order_relaxed);
  SwitchLocked(lock, nullptr, PickLocked());
}

void Scheduler::EndExternal() {
  Slot* self = Self();
  if (self == nullptr) return;
  std::unique_lock lock(mutex_);
  --externals_;
  self->state = State::kRunnable;
  if (idle_) {  // the token is free: take it
    idle_ = false;
    ++idle_epoch_;
    if (auto* cv = keeper_cv_.load(std::memory_order_relaxed)) cv->notify_all();
    self->turn.store(1, std::memory_order_relaxed);
  } else {
    lock.unlock();
    AwaitTurn(self->turn);
  }
}

void Scheduler::GoIdleLocked() {
  idle_ = true;
  ++idle_epoch_;
  if (EarliestTimedLocked() == nullptr) return;  // only an external return ends this
  std::condition_variable* cv = keeper_cv_.load(std::memory_order_relaxed);
  if (cv == nullptr) {
    cv = new std::condition_variable();  // lives as long as the process
    keeper_cv_.store(cv, std::memory_order_relaxed);
    std::thread([this, cv] { TimekeeperLoop(*cv); }).detach();
  }
  cv->notify_all();
}

Scheduler::Slot* Scheduler::EarliestTimedLocked() const {
  Slot* earliest = nullptr;
  for (const auto& [id, slot] : slots_) {
    if (slot->state != State::kBlocked || !slot->timed) continue;
    if (earliest == nullptr || slot->deadline < earliest->deadline) earliest = slot.get();
  }
  return earliest;
}

void Scheduler::TimekeeperLoop(std::condition_variable& cv) {
  for (;;) {
    std::unique_lock lock(mutex_);  // one hold per round: SwitchLocked releases it
    const Slot* earliest = idle_ ? EarliestTimedLocked() : nullptr;
    if (earliest == nullptr) {
      cv.wait(lock);
      continue;
    }
    // The clock stands still while idle: the waiter is due after this much real time.
    const std::uint64_t epoch = idle_epoch_;
    const RealTime due = std::chrono::steady_clock::now() + (earliest->deadline - Now());
    if (cv.wait_until(lock, due, [&] { return idle_epoch_ != epoch; })) continue;
    // Still idle, and the real time is up: the earliest timed waiter fires.
    earliest = EarliestTimedLocked();
    if (earliest == nullptr) continue;
    idle_ = false;
    ++idle_epoch_;
    AdvanceTo(earliest->deadline);
    SwitchLocked(lock, nullptr, PickLocked());
  }
}

std::unique_lock<std::mutex> Scheduler::LockForFork() { return std::unique_lock(mutex_); }

void Scheduler::AfterForkInChild() {
  Slot* self = SelfLocked();
  if (self == nullptr) return;
  // The parent's timekeeper did not come along; its condition variable may name it as a
  // waiter, so the child leaves it alone (a small leak per fork) and starts afresh.
  keeper_cv_.store(nullptr, std::memory_order_relaxed);
  idle_ = false;
  externals_ = 0;
  // The child's time is virtual again, going on from the parent's clock.
  if (realtime_.load(std::memory_order_relaxed)) {
    now_.store(Now().time_since_epoch().count(), std::memory_order_relaxed);
    realtime_.store(false, std::memory_order_relaxed);
  }
  for (auto it = slots_.begin(); it != slots_.end();) {
    it = it->second.get() == self ? std::next(it) : slots_.erase(it);
  }
  waiters_.clear();
  self->state = State::kRunnable;
  self->word = nullptr;
  self->timed = false;
  self->turn.store(1, std::memory_order_relaxed);
}

void RefuseForeignThread() {
  const Scheduler* s = Scheduler::Get();
  const std::string& name = s != nullptr ? s->name() : std::string("random");
  std::fprintf(stderr,
               "racelens: schedule=%s serialises racelens threads; a thread not started by "
               "racelens::Thread (std::thread, pthread_create) called racelens; start it with "
               "racelens::Thread or use schedule=os.\n",
               name.c_str());
  std::fflush(nullptr);
  _exit(2);
}

}  // namespace racelens::schedule
