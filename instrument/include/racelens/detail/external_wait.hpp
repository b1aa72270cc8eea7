// racelens/detail/external_wait.hpp — a wait for another process (internal).
//
// Under the controlled scheduler one racelens thread runs at a time. A thread
// that waits in a system call for something another process does (poll or
// read on a pipe, write to a full pipe, waitpid) must not keep the others
// from running meanwhile: an ExternalWait gives the token away for its scope
// and waits for a turn when the scope ends. While threads wait externally, the
// scheduler never declares the program stuck, and timed waiters fire after the
// real time their timeout names (instrument/src/schedule/scheduler.hpp).
//
// Contract: no lock the scheduler cannot see (a std::mutex) may be held across
// the scope: another thread may run and block on it in the kernel.
// Cost under `schedule=os`: one relaxed load at each end.
//
// Thread-safety: one object per wait, used by the waiting thread only.
#pragma once

#include "racelens/detail/sched.hpp"

namespace racelens::detail {

void ExternalWaitBeginSlow() noexcept;
void ExternalWaitEndSlow() noexcept;

class ExternalWait {
 public:
  ExternalWait() noexcept : scheduled_(SchedActive()) {
    if (scheduled_) ExternalWaitBeginSlow();
  }
  ~ExternalWait() {
    if (scheduled_) ExternalWaitEndSlow();
  }
  ExternalWait(const ExternalWait&) = delete;
  ExternalWait& operator=(const ExternalWait&) = delete;

 private:
  const bool scheduled_;
};

}  // namespace racelens::detail
