// fork() with the runtime's locks held, and the child's clean-up (detail/fork.hpp).
#include "racelens/detail/fork.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "racelens/detail/hooks.hpp"
#include "racelens/errors.hpp"
#include "runtime/detector.hpp"
#include "runtime/report_sink.hpp"
#include "runtime/runtime.hpp"
#include "runtime/thread_registry.hpp"
#include "runtime/thread_state.hpp"
#include "schedule/scheduler.hpp"

namespace racelens::detail {

pid_t ForkProcess() {
  EnsureRuntime();
  ThreadRegistry& registry = ThreadRegistry::Instance();
  const std::shared_ptr<ThreadState> self = registry.CurrentShared();
  Detector* const detector = RuntimeDetector();
  ReportSink* const sink = RuntimeSink();
  schedule::Scheduler* const scheduler = schedule::Scheduler::Get();

  // Kept past the locks: the child's forgotten threads own some of the held mutexes.
  std::vector<std::shared_ptr<ThreadState>> vanished;
  std::vector<std::shared_ptr<Detector::ThreadShared>> forgotten;
  pid_t pid = -1;
  int fork_errno = 0;
  {
    // The runtime's lock order: the detector's, the registry's and the threads', the sink's.
    // The stack depot and the symbolizer hold theirs across fork() themselves (pthread_atfork).
    std::vector<std::unique_lock<std::mutex>> locks;
    std::vector<std::unique_lock<SpinningMutex>> leaf_locks;  // released before `locks`
    if (detector != nullptr) detector->LockForFork(locks, leaf_locks);
    registry.LockForFork(locks);
    if (sink != nullptr) locks.push_back(sink->LockForFork());
    {
      // Innermost, and only across fork() itself: the child's scheduler is put right
      // before anything in the child can call it (its timekeeper thread did not come along).
      std::unique_lock<std::mutex> scheduler_lock;
      if (scheduler != nullptr) scheduler_lock = scheduler->LockForFork();
      pid = ::fork();
      fork_errno = errno;
      // The forking thread held the token; it is the child's only thread.
      if (pid == 0 && scheduler != nullptr) scheduler->AfterForkInChild();
    }
    if (pid == 0) {
      if (detector != nullptr) forgotten = detector->AfterForkInChild(*self);
      vanished = registry.AfterForkInChild(self);
      if (sink != nullptr) sink->AfterForkInChild();
    }
  }
  if (pid < 0) {
    throw RuntimeError(std::string("racelens: cannot start a child process: fork() failed: ") +
                       std::strerror(fork_errno) + ".");
  }
  for (const auto& thread : vanished) thread->MarkFinished();
  // The parent's timeouts may now cover work the scheduler cannot see.
  if (pid > 0 && scheduler != nullptr) scheduler->FollowRealTime();
  return pid;
}

void ExitForkedChild(int status) {
  std::fflush(nullptr);
  if (status == 0) status = FindingsExitStatus();
  _exit(status);
}

}  // namespace racelens::detail
