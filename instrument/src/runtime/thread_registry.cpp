#include "runtime/thread_registry.hpp"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "racelens/detail/sched.hpp"
#include "schedule/scheduler.hpp"

namespace racelens::detail {
thread_local ThreadState* ThreadRegistry::t_current = nullptr;

namespace {

// Keeps a foreign thread's state alive and retires it when the thread exits.
struct ForeignThreadOwner {
  std::shared_ptr<ThreadState> state;
  ~ForeignThreadOwner() {
    if (!state) return;
    ThreadRegistry::Instance().RemoveAlive(*state);
    state->MarkFinished();
    ThreadRegistry::ForgetCurrent();
  }
};
thread_local ForeignThreadOwner t_foreign;

// Keeps a racelens thread's state alive for as long as the thread runs.
thread_local std::shared_ptr<ThreadState> t_bound;

bool IsMainThread() { return gettid() == getpid(); }

void JoinNonDaemonThreadsAtExit() { ThreadRegistry::Instance().JoinNonDaemonThreads(); }

}  // namespace

ThreadRegistry& ThreadRegistry::Instance() {
  static ThreadRegistry* const instance = new ThreadRegistry();  // never destroyed
  return *instance;
}

ThreadRegistry::ThreadRegistry()
    : main_(std::make_shared<ThreadState>(0, ThreadState::Kind::kMain, "MainThread", false)) {
  main_->MarkStarted();
  alive_.push_back(main_);
}

std::shared_ptr<ThreadState> ThreadRegistry::NewThread(std::string name,
                                                       std::optional<bool> daemon) {
  const bool is_daemon = daemon.value_or(Current().daemon());
  std::lock_guard lock(mutex_);
  const int id = next_id_++;
  if (name.empty()) name = "Thread-" + std::to_string(next_name_++);
  return std::make_shared<ThreadState>(id, ThreadState::Kind::kRacelens, std::move(name),
                                       is_daemon);
}

ThreadState& ThreadRegistry::Current() {
  if (t_current != nullptr) return *t_current;
  if (IsMainThread()) {
    main_->MarkRunning(static_cast<std::uint64_t>(pthread_self()),
                       static_cast<std::uint64_t>(gettid()));
    t_current = main_.get();
    return *t_current;
  }
  t_foreign.state = RegisterForeign();
  t_current = t_foreign.state.get();
  return *t_current;
}

std::shared_ptr<ThreadState> ThreadRegistry::CurrentShared() {
  ThreadState& current = Current();
  if (&current == main_.get()) return main_;
  if (t_bound.get() == &current) return t_bound;
  return t_foreign.state;
}

std::shared_ptr<ThreadState> ThreadRegistry::RegisterForeign() {
  if (SchedActive()) schedule::RefuseForeignThread();
  std::shared_ptr<ThreadState> state;
  {
    std::lock_guard lock(mutex_);
    const int id = next_id_++;
    state = std::make_shared<ThreadState>(id, ThreadState::Kind::kForeign,
                                          "Dummy-" + std::to_string(next_name_++), true);
  }
  state->MarkStarted();
  state->MarkRunning(static_cast<std::uint64_t>(pthread_self()),
                     static_cast<std::uint64_t>(gettid()));
  AddAlive(state);
  return state;
}

void ThreadRegistry::BindCurrent(const std::shared_ptr<ThreadState>& state) {
  t_bound = state;
  t_current = state.get();
}

void ThreadRegistry::AddAlive(const std::shared_ptr<ThreadState>& state) {
  std::lock_guard lock(mutex_);
  alive_.push_back(state);
}

void ThreadRegistry::RemoveAlive(const ThreadState& state) {
  std::shared_ptr<ThreadState> removed;  // released outside the lock
  std::lock_guard lock(mutex_);
  auto it = std::find_if(alive_.begin(), alive_.end(),
                         [&state](const auto& s) { return s.get() == &state; });
  if (it != alive_.end()) {
    removed = std::move(*it);
    alive_.erase(it);
  }
}

std::vector<std::shared_ptr<ThreadState>> ThreadRegistry::Alive() const {
  std::lock_guard lock(mutex_);
  return alive_;
}

void ThreadRegistry::EnsureExitJoinInstalled() {
  std::call_once(exit_join_once_, [] { std::atexit(JoinNonDaemonThreadsAtExit); });
}

void ThreadRegistry::LockForFork(std::vector<std::unique_lock<std::mutex>>& locks) {
  locks.emplace_back(mutex_);
  for (const auto& s : alive_) locks.push_back(s->LockForFork());
}

std::vector<std::shared_ptr<ThreadState>> ThreadRegistry::AfterForkInChild(
    const std::shared_ptr<ThreadState>& self) {
  std::vector<std::shared_ptr<ThreadState>> vanished;
  for (auto& s : alive_) {
    if (s != self) vanished.push_back(std::move(s));
  }
  alive_.assign(1, self);
  main_ = self;  // as Python's threading._after_fork: the forking thread is the child's main
  return vanished;
}

void ThreadRegistry::JoinNonDaemonThreads() {
  const ThreadState* self = &Current();
  // Threads may start more threads while we wait: repeat until none is left.
  for (;;) {
    std::shared_ptr<ThreadState> next;
    {
      std::lock_guard lock(mutex_);
      for (const auto& s : alive_) {
        if (s.get() != self && s->kind == ThreadState::Kind::kRacelens && !s->daemon()) {
          next = s;
          break;
        }
      }
    }
    if (!next) return;
    RACELENS_HOOK(OnBlock, next.get(), BlockingCall::kThreadJoin, -1, nullptr);
    next->WaitFinished(-1);
    RACELENS_HOOK(OnUnblock, next.get());
    RemoveAlive(*next);  // it may still be between MarkFinished and its own removal
  }
}

}  // namespace racelens::detail
