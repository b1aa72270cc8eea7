// racelens/detail/mp_queue_core.hpp — the untyped part of mp::Queue (internal).
//
// Items travel as messages over one pipe (detail/pipe_channel.hpp); what the
// processes share besides it sits in one MAP_SHARED|MAP_ANONYMOUS block made
// before fork(): the item count and the count of unfinished tasks, the
// condition variables waiting on them, and three process-shared robust
// mutexes — one for the counts, one that keeps writers from interleaving
// their messages, one that lets one reader at a time take a whole message.
// A process that dies holding one of them does not hang the others: the next
// locker gets EOWNERDEAD and marks the mutex consistent.
//
// A put() counts its item (waiting for a free slot when the queue is
// bounded), then writes it to the pipe; a get() claims a counted item, then
// reads the next message. Each item is preceded by a sequence number: the
// process that put it keeps the put's happens-before clock under that number,
// and a get() of that item by a thread of the same process acquires it.
//
// Thread-safety: every member may be called from any thread of any process
// that has the object (made before fork()), except Close() and destruction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "racelens/detail/hooks.hpp"

namespace racelens::detail {

class MpQueueCore {
 public:
  // Throws RuntimeError when the pipe or the shared block cannot be made.
  MpQueueCore(std::ptrdiff_t maxsize, bool joinable);
  MpQueueCore(const MpQueueCore&) = delete;
  MpQueueCore& operator=(const MpQueueCore&) = delete;
  ~MpQueueCore();

  // Full / Empty as queue.Queue; ValueError("Queue is closed") after Close().
  void Put(std::string_view payload, bool block, double timeout, Site site);
  std::string Get(bool block, double timeout, Site site);
  void TaskDone(Site site);
  void Join(Site site);
  void Close();

  std::size_t Size() const;
  bool IsFull() const;
  std::ptrdiff_t maxsize() const { return maxsize_; }

 private:
  struct Shared;
  void CheckOpen() const;

  const std::ptrdiff_t maxsize_;
  const bool joinable_;
  Shared* shared_ = nullptr;
  int read_fd_ = -1;
  int write_fd_ = -1;
  bool closed_ = false;
  // This process's puts that no get has taken yet, by sequence number; guarded
  // by the shared counts mutex (a process-local std::mutex could be inherited
  // locked by a fork).
  std::map<std::uint64_t, SyncClock> put_clocks_;
  SyncClock all_done_;  // task_done() -> join() within this process
};

}  // namespace racelens::detail
