// racelens/mp_queue.hpp — multiprocessing.Queue and JoinableQueue.
//
// Defines (namespace racelens::mp):
//   Queue<T>           a FIFO shared by the processes forked after it was made
//   JoinableQueue<T>   a Queue with task_done() and join()
//
// Make the queue before starting the processes that use it (Process,
// detail::ForkProcess) and use the same object in all of them: the child's
// copy, reached through a capture or std::ref argument, is connected to the
// parent's. Queues are neither copyable nor movable.
//
// T must be serialisable (racelens/serialize.hpp): items cross processes as
// bytes, and each get() returns a new T. Any other T fails to compile with a
// message saying what to do.
//
// Interface, as Python's multiprocessing.Queue:
//   Queue(maxsize=0)                    maxsize <= 0 means unbounded
//   put(item, block=true, timeout=-1)   waits for a free slot; Full when none came
//   get(block=true, timeout=-1)         waits for an item; Empty when none came
//   put_nowait(item), get_nowait()      put(item, false), get(false)
//   qsize(), empty(), full()            snapshots over all processes, approximate
//                                       under concurrency (qsize counts items whose
//                                       put() has begun writing them)
//   close()                             this process will use the queue no more: its
//                                       ends of the pipe are closed; later put()/get()
//                                       in this process raise ValueError("Queue is closed")
// JoinableQueue adds:
//   task_done()   one item taken by get() is processed (in any process);
//                 ValueError("task_done() called too many times") past the puts
//   join()        waits until every item put was task_done()
// Timeouts follow queue.Queue: -1 waits forever; another negative timeout
// raises ValueError("'timeout' must be a non-negative number").
//
// Differences from Python, by design:
//   - There is no feeder thread: put() writes the item to the pipe itself, so
//     it returns once the item is in the pipe's buffer (1 MiB where the system
//     allows, else 64 KiB). A put() of more than that, or onto a pipe that
//     unread items fill, blocks until a get() makes room. The rule of Python's
//     documentation ("joining processes that use queues") therefore applies to
//     put() itself: take the items off a queue before joining the processes
//     that put them, and do not put more than the pipe holds from a thread
//     that is the only one to get them.
//   - join_thread() and cancel_join_thread() do not exist (no feeder thread).
//   - As in Python, a process killed while it puts or gets an item may leave
//     the queue corrupted, and a get() may then wait for an item that never
//     completes. A process that dies holding the queue's shared lock does not
//     hang the others (robust mutexes).
//
// Happens-before: between threads of one process, a put() happens before the
// get() that returns its item, and every task_done() before the join() it
// releases, as for queue.Queue. Nothing is ordered across processes (they
// share no tracked memory).
//
// Blocking: put(), get() and join() that wait show in deadlock reports
// ("mp::Queue.put()", "mp::Queue.get()", "mp::JoinableQueue.join()"); being
// waits on other processes, they never make a process look deadlocked by
// themselves.
//
// Thread-safety: all members are thread-safe and process-safe, except that
// close() and destruction must not run concurrently with other calls on the
// same object in the same process.
#pragma once

#include <cstddef>
#include <exception>
#include <string>

#include "racelens/detail/hooks.hpp"
#include "racelens/detail/mp_queue_core.hpp"
#include "racelens/serialize.hpp"

namespace racelens::mp {

template <class T>
class Queue {
 public:
  explicit Queue(std::ptrdiff_t maxsize = 0) : Queue(maxsize, false) {}
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  RACELENS_NOINLINE void put(const T& item, bool block = true, double timeout = -1) {
    RequireSerialisable<T>();
    if constexpr (Serialisable<T>) core_.Put(Serialise(item), block, timeout, RACELENS_SITE());
  }
  RACELENS_NOINLINE T get(bool block = true, double timeout = -1) {
    RequireSerialisable<T>();
    if constexpr (Serialisable<T>) {
      return Deserialise<T>(core_.Get(block, timeout, RACELENS_SITE()));
    } else {
      std::terminate();  // unreachable: the static_assert above has failed
    }
  }
  RACELENS_NOINLINE void put_nowait(const T& item) {
    RequireSerialisable<T>();
    if constexpr (Serialisable<T>) core_.Put(Serialise(item), false, -1, RACELENS_SITE());
  }
  RACELENS_NOINLINE T get_nowait() {
    RequireSerialisable<T>();
    if constexpr (Serialisable<T>) {
      return Deserialise<T>(core_.Get(false, -1, RACELENS_SITE()));
    } else {
      std::terminate();
    }
  }

  std::size_t qsize() const { return core_.Size(); }
  bool empty() const { return core_.Size() == 0; }
  bool full() const { return core_.IsFull(); }
  std::ptrdiff_t maxsize() const { return core_.maxsize(); }
  void close() { core_.Close(); }

 protected:
  Queue(std::ptrdiff_t maxsize, bool joinable) : core_(maxsize, joinable) {
    RequireSerialisable<T>();
  }
  detail::MpQueueCore core_;
};

template <class T>
class JoinableQueue : public Queue<T> {
 public:
  explicit JoinableQueue(std::ptrdiff_t maxsize = 0) : Queue<T>(maxsize, true) {}

  RACELENS_NOINLINE void task_done() { this->core_.TaskDone(RACELENS_SITE()); }
  RACELENS_NOINLINE void join() { this->core_.Join(RACELENS_SITE()); }
};

}  // namespace racelens::mp
