#include "racelens/thread.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <thread>
#include <typeinfo>

#include "racelens/detail/hooks.hpp"
#include "racelens/detail/sched.hpp"
#include "racelens/errors.hpp"
#include "runtime/stack_depot.hpp"
#include "runtime/thread_registry.hpp"
#include "runtime/type_name.hpp"
#include "schedule/scheduler.hpp"

namespace racelens {
namespace {

using detail::ThreadRegistry;
using detail::ThreadState;

// threading.excepthook's default: report the exception and let the thread end.
void PrintUncaught(const ThreadState& state, std::exception_ptr error) {
  std::string what;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = detail::TypeName(typeid(e)) + ": " + e.what();
  } catch (...) {
    what = "unknown exception (not derived from std::exception)";
  }
  std::fprintf(stderr, "Exception in thread %s:\n%s\n", state.name().c_str(), what.c_str());
  std::fflush(stderr);
}

void RunThread(std::shared_ptr<ThreadState> state) {
  // Stacks captured on this thread end here (this frame is trimmed from reports, and so is
  // everything above it).
  detail::SetStackWalkLimit(__builtin_frame_address(0));
  ThreadRegistry& registry = ThreadRegistry::Instance();
  registry.BindCurrent(state);
  schedule::Scheduler* const scheduler = schedule::Scheduler::Get();
  if (scheduler != nullptr) scheduler->Enter(state->id);  // wait for the first turn
  state->MarkRunning(static_cast<std::uint64_t>(pthread_self()),
                     static_cast<std::uint64_t>(gettid()));
  RACELENS_HOOK(OnThreadStart);
  try {
    state->RunEntry();
  } catch (...) {
    PrintUncaught(*state, std::current_exception());
  }
  state->target.reset();  // destroy the callable on its own thread, as Python does
  RACELENS_HOOK(OnThreadFinish);
  registry.RemoveAlive(*state);
  state->MarkFinished();
  if (scheduler != nullptr) scheduler->Exit();  // hand the token on for good
}

void JoinState(ThreadState& state, double timeout, detail::Site site) {
  RACELENS_SCHED_POINT();
  ThreadState& self = ThreadRegistry::Instance().Current();
  if (state.life() == ThreadState::Life::kInitial) {
    RACELENS_HOOK(OnMisuse, &state, detail::MisuseKind::kJoinBeforeStart,
                  "cannot join thread before it is started", site);
    throw RuntimeError("cannot join thread before it is started");
  }
  if (&state == &self) {
    RACELENS_HOOK(OnMisuse, &state, detail::MisuseKind::kJoinCurrentThread,
                  "cannot join current thread", site);
    throw RuntimeError("cannot join current thread");
  }
  bool finished = state.life() == ThreadState::Life::kFinished;
  if (!finished) {
    RACELENS_HOOK(OnBlock, &state, detail::BlockingCall::kThreadJoin, timeout, site);
    finished = state.WaitFinished(timeout);
    RACELENS_HOOK(OnUnblock, &state);
  }
  if (finished) RACELENS_HOOK(OnThreadJoin, state, site);
}

}  // namespace

// --- ThreadHandle --------------------------------------------------------

std::string ThreadHandle::name() const { return state_->name(); }
void ThreadHandle::set_name(std::string name) { state_->set_name(std::move(name)); }
std::optional<std::uint64_t> ThreadHandle::ident() const { return state_->ident(); }
std::optional<std::uint64_t> ThreadHandle::native_id() const { return state_->native_id(); }
bool ThreadHandle::daemon() const { return state_->daemon(); }
bool ThreadHandle::is_alive() const { return state_->life() == ThreadState::Life::kStarted; }
RACELENS_NOINLINE void ThreadHandle::join(double timeout) {
  JoinState(*state_, timeout, RACELENS_SITE());
}
int ThreadHandle::runtime_id() const { return state_->id; }

// --- Thread -------------------------------------------------------------

Thread::Thread() : Thread(ThreadOptions{}) {}

Thread::Thread(ThreadOptions options)
    : state_(ThreadRegistry::Instance().NewThread(std::move(options.name), options.daemon)) {
  state_->self = this;
}

Thread::Thread(ThreadOptions options, Target target) : Thread(std::move(options)) {
  state_->target = std::move(target);
}

Thread::~Thread() {
  if (state_->life() != ThreadState::Life::kStarted) return;
  if (&ThreadRegistry::Instance().Current() == state_.get()) return;
  // A non-daemon thread would be joined at exit anyway; a subclass needs its object alive.
  if (!state_->daemon() || !state_->target) {
    RACELENS_HOOK(OnBlock, state_.get(), detail::BlockingCall::kThreadJoin, -1, RACELENS_SITE());
    state_->WaitFinished(-1);
    RACELENS_HOOK(OnUnblock, state_.get());
  }
}

RACELENS_NOINLINE void Thread::start() {
  const detail::Site site = RACELENS_SITE();
  if (!state_->MarkStarted()) {
    RACELENS_HOOK(OnMisuse, state_.get(), detail::MisuseKind::kThreadStartedTwice,
                  "threads can only be started once", site);
    throw RuntimeError("threads can only be started once");
  }
  ThreadRegistry& registry = ThreadRegistry::Instance();
  registry.EnsureExitJoinInstalled();
  RACELENS_HOOK(OnThreadCreate, *state_, site);
  registry.AddAlive(state_);
  // Runnable from now on, but no scheduling point comes before its OS thread exists.
  schedule::Scheduler* const scheduler = schedule::Scheduler::Get();
  if (scheduler != nullptr) scheduler->AddThread(state_->id);
  try {
    std::thread(RunThread, state_).detach();
  } catch (...) {
    if (scheduler != nullptr) scheduler->ForgetThread(state_->id);
    registry.RemoveAlive(*state_);
    state_->MarkFinished();
    throw;
  }
  state_->WaitRunning();  // like Python, start() returns once the thread runs
}

RACELENS_NOINLINE void Thread::join(double timeout) {
  JoinState(*state_, timeout, RACELENS_SITE());
}

bool Thread::is_alive() const { return state_->life() == ThreadState::Life::kStarted; }
std::string Thread::name() const { return state_->name(); }
void Thread::set_name(std::string name) { state_->set_name(std::move(name)); }
bool Thread::daemon() const { return state_->daemon(); }
void Thread::set_daemon(bool daemon) {
  if (!state_->SetDaemonBeforeStart(daemon)) {
    throw RuntimeError("cannot set daemon status of active thread");
  }
}
std::optional<std::uint64_t> Thread::ident() const { return state_->ident(); }
std::optional<std::uint64_t> Thread::native_id() const { return state_->native_id(); }

void Thread::run() {
  if (state_->target) state_->target->Call();
}

// --- module functions ---------------------------------------------------

ThreadHandle current_thread() { return ThreadHandle(ThreadRegistry::Instance().CurrentShared()); }
ThreadHandle main_thread() { return ThreadHandle(ThreadRegistry::Instance().Main()); }

std::vector<ThreadHandle> enumerate() {
  ThreadRegistry::Instance().Current();  // a foreign caller lists itself, as in Python
  std::vector<ThreadHandle> result;
  for (auto& s : ThreadRegistry::Instance().Alive()) result.emplace_back(std::move(s));
  return result;
}

std::size_t active_count() { return enumerate().size(); }

std::uint64_t get_ident() { return static_cast<std::uint64_t>(pthread_self()); }
std::uint64_t get_native_id() { return static_cast<std::uint64_t>(gettid()); }

}  // namespace racelens
