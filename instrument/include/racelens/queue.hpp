// racelens/queue.hpp — Python's `queue` module.
//
// Defines:
//   Queue<T>                           FIFO (queue.Queue)
//   LifoQueue<T>                       LIFO (queue.LifoQueue)
//   PriorityQueue<T, Compare = less>   smallest item first, as heapq (queue.PriorityQueue)
//   SimpleQueue<T>                     unbounded FIFO without task tracking (queue.SimpleQueue)
//
// Queue, LifoQueue and PriorityQueue share one interface:
//   Queue(maxsize=0)                 maxsize <= 0 means unbounded
//   put(item, block=true, timeout=-1)    waits for a free slot; Full when none came
//   get(block=true, timeout=-1)          waits for an item; Empty when none came
//   put_nowait(item), get_nowait()       put(item, false), get(false)
//   task_done()                      one get() item is processed; ValueError("task_done()
//                                    called too many times") past the number of puts
//   join()                           block until every item put was task_done()
//   qsize(), empty(), full(), maxsize()  snapshots, approximate under concurrency
//
// Timeouts: -1 (the default) waits forever; any other negative timeout on a
// blocking call raises ValueError("'timeout' must be a non-negative number"),
// as CPython does; a timeout above TIMEOUT_MAX raises OverflowError.
//
// Happens-before: a put() happens before the get() that returns its item;
// every task_done() happens before the join() it releases.
//
// Thread-safety: all members are thread-safe. T must be move-constructible.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "racelens/detail/deadline.hpp"
#include "racelens/detail/futex.hpp"
#include "racelens/detail/futex_lock.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/detail/sched.hpp"
#include "racelens/errors.hpp"

namespace racelens {

namespace detail {

template <class T>
struct QueueEntry {
  T value;
  SyncClock clock;
};

template <class T>
class FifoStorage {
 public:
  void Push(QueueEntry<T>&& e) { items_.push_back(std::move(e)); }
  QueueEntry<T> Pop() {
    QueueEntry<T> e = std::move(items_.front());
    items_.pop_front();
    return e;
  }
  std::size_t Size() const noexcept { return items_.size(); }

 private:
  std::deque<QueueEntry<T>> items_;
};

template <class T>
class LifoStorage {
 public:
  void Push(QueueEntry<T>&& e) { items_.push_back(std::move(e)); }
  QueueEntry<T> Pop() {
    QueueEntry<T> e = std::move(items_.back());
    items_.pop_back();
    return e;
  }
  std::size_t Size() const noexcept { return items_.size(); }

 private:
  std::vector<QueueEntry<T>> items_;
};

template <class T, class Compare>
class HeapStorage {
 public:
  void Push(QueueEntry<T>&& e) {
    items_.push_back(std::move(e));
    std::push_heap(items_.begin(), items_.end(), Later{});
  }
  QueueEntry<T> Pop() {
    std::pop_heap(items_.begin(), items_.end(), Later{});
    QueueEntry<T> e = std::move(items_.back());
    items_.pop_back();
    return e;
  }
  std::size_t Size() const noexcept { return items_.size(); }

 private:
  // std heaps put the greatest element first; invert to hand out the smallest.
  struct Later {
    bool operator()(const QueueEntry<T>& a, const QueueEntry<T>& b) const {
      return Compare{}(b.value, a.value);
    }
  };
  std::vector<QueueEntry<T>> items_;
};

// Out-of-line parts shared by every queue type.
void CheckQueueTimeout(double timeout);
[[noreturn]] void ThrowTaskDoneTooManyTimes(const void* queue, Site site);

// Waits on `cv` until `ready()` or the deadline (ready()'s value). The wait is a
// blocking call of `object` (OnBlock/OnUnblock) only once the thread sleeps in
// the kernel: a hand-off that arrives while it spins is not one, and captures no
// stack.
template <class Pred>
bool WaitAnnouncingSleep(std::unique_lock<SpinningMutex>& lock, CondVar& cv, const void* object,
                         const Deadline& deadline, BlockingCall call, double timeout, Site site,
                         Pred ready) {
  bool announced = false;
  const bool ok = cv.Wait(lock, deadline, ready, [&] {
    announced = true;
    RACELENS_HOOK(OnBlock, object, call, timeout, site);
  });
  if (announced) RACELENS_HOOK(OnUnblock, object);
  return ok;
}

template <class T, class Storage>
class BasicQueue {
 public:
  explicit BasicQueue(std::ptrdiff_t maxsize = 0, std::string_view name = {})
      : maxsize_(maxsize), name_(name) {
    RACELENS_HOOK(OnObjectCreate, this, ObjectKind::kQueue, name_, RACELENS_SITE());
  }
  BasicQueue(const BasicQueue&) = delete;
  BasicQueue& operator=(const BasicQueue&) = delete;
  ~BasicQueue() { RACELENS_HOOK(OnObjectDestroy, this, RACELENS_SITE()); }

  RACELENS_NOINLINE void put(T item, bool block = true, double timeout = -1) {
    const Site site = RACELENS_SITE();
    // The put's release goes into the item before the lock is taken: the item is
    // not visible to a get() before it is queued, and the detector's work stays
    // out of the queue's critical section.
    QueueEntry<T> entry{std::move(item), SyncClock()};
    RACELENS_HOOK(OnQueuePut, this, site, entry.clock);
    std::unique_lock lock(mutex_);
    if (maxsize_ > 0 && storage_.Size() >= static_cast<std::size_t>(maxsize_)) {
      if (!block) throw Full();
      if (timeout != -1) CheckQueueTimeout(timeout);
      const auto deadline = Deadline::After(timeout);
      if (!Wait(lock, not_full_, not_full_waiters_, deadline, BlockingCall::kQueuePut, timeout,
                site, [this] { return storage_.Size() < static_cast<std::size_t>(maxsize_); })) {
        throw Full();
      }
    } else if (maxsize_ > 0 && block && timeout != -1) {
      CheckQueueTimeout(timeout);
    }
    storage_.Push(std::move(entry));
    ++unfinished_tasks_;
    if (not_empty_waiters_ > 0) not_empty_.NotifyOne();
  }

  RACELENS_NOINLINE T get(bool block = true, double timeout = -1) {
    const Site site = RACELENS_SITE();
    RACELENS_SCHED_POINT();
    std::unique_lock lock(mutex_);
    if (block && timeout != -1) CheckQueueTimeout(timeout);
    if (storage_.Size() == 0) {
      if (!block) throw Empty();
      const auto deadline = Deadline::After(timeout);
      if (!Wait(lock, not_empty_, not_empty_waiters_, deadline, BlockingCall::kQueueGet, timeout,
                site, [this] { return storage_.Size() > 0; })) {
        throw Empty();
      }
    }
    QueueEntry<T> entry = storage_.Pop();
    if (not_full_waiters_ > 0) not_full_.NotifyOne();
    lock.unlock();
    RACELENS_HOOK(OnQueueGet, this, site, entry.clock);  // the acquire, outside the lock
    return std::move(entry.value);
  }

  void put_nowait(T item) { put(std::move(item), false); }
  T get_nowait() { return get(false); }

  RACELENS_NOINLINE void task_done() {
    const Site site = RACELENS_SITE();
    RACELENS_SCHED_POINT();
    std::unique_lock lock(mutex_);
    if (unfinished_tasks_ <= 0) {
      lock.unlock();
      ThrowTaskDoneTooManyTimes(this, site);
    }
    RACELENS_HOOK(OnQueueTaskDone, this, site, all_done_clock_);
    if (--unfinished_tasks_ == 0 && join_waiters_ > 0) all_tasks_done_.NotifyAll();
  }

  RACELENS_NOINLINE void join() {
    const Site site = RACELENS_SITE();
    RACELENS_SCHED_POINT();
    std::unique_lock lock(mutex_);
    if (unfinished_tasks_ > 0) {
      Wait(lock, all_tasks_done_, join_waiters_, Deadline::Never(), BlockingCall::kQueueJoin, -1,
           site, [this] { return unfinished_tasks_ == 0; });
    }
    RACELENS_HOOK(OnQueueJoin, this, site, all_done_clock_);
  }

  std::size_t qsize() const {
    std::lock_guard lock(mutex_);
    return storage_.Size();
  }
  bool empty() const { return qsize() == 0; }
  bool full() const {
    std::lock_guard lock(mutex_);
    return maxsize_ > 0 && storage_.Size() >= static_cast<std::size_t>(maxsize_);
  }
  std::ptrdiff_t maxsize() const noexcept { return maxsize_; }
  const std::string& name() const noexcept { return name_; }

 private:
  template <class Pred>
  bool Wait(std::unique_lock<SpinningMutex>& lock, CondVar& cv, std::ptrdiff_t& waiters,
            const Deadline& deadline, BlockingCall call, double timeout, Site site, Pred ready) {
    ++waiters;
    const bool ok = WaitAnnouncingSleep(lock, cv, this, deadline, call, timeout, site, ready);
    --waiters;
    return ok;
  }

  const std::ptrdiff_t maxsize_;
  // Short critical sections taken by every producer and consumer.
  mutable SpinningMutex mutex_;
  detail::CondVar not_empty_;
  detail::CondVar not_full_;
  detail::CondVar all_tasks_done_;
  std::ptrdiff_t not_empty_waiters_ = 0;
  std::ptrdiff_t not_full_waiters_ = 0;
  std::ptrdiff_t join_waiters_ = 0;
  std::ptrdiff_t unfinished_tasks_ = 0;
  Storage storage_;
  SyncClock all_done_clock_;
  std::string name_;
};

}  // namespace detail

template <class T>
class Queue : public detail::BasicQueue<T, detail::FifoStorage<T>> {
 public:
  using detail::BasicQueue<T, detail::FifoStorage<T>>::BasicQueue;
};

template <class T>
class LifoQueue : public detail::BasicQueue<T, detail::LifoStorage<T>> {
 public:
  using detail::BasicQueue<T, detail::LifoStorage<T>>::BasicQueue;
};

template <class T, class Compare = std::less<T>>
class PriorityQueue : public detail::BasicQueue<T, detail::HeapStorage<T, Compare>> {
 public:
  using detail::BasicQueue<T, detail::HeapStorage<T, Compare>>::BasicQueue;
};

// queue.SimpleQueue: unbounded, no task tracking. put() never blocks; its
// `block` and `timeout` are accepted for compatibility and ignored.
template <class T>
class SimpleQueue {
 public:
  explicit SimpleQueue(std::string_view name = {}) : name_(name) {
    RACELENS_HOOK(OnObjectCreate, this, detail::ObjectKind::kQueue, name_, RACELENS_SITE());
  }
  SimpleQueue(const SimpleQueue&) = delete;
  SimpleQueue& operator=(const SimpleQueue&) = delete;
  ~SimpleQueue() { RACELENS_HOOK(OnObjectDestroy, this, RACELENS_SITE()); }

  RACELENS_NOINLINE void put(T item, bool /*block*/ = true, double /*timeout*/ = -1) {
    const detail::Site site = RACELENS_SITE();
    detail::QueueEntry<T> entry{std::move(item), detail::SyncClock()};
    RACELENS_HOOK(OnQueuePut, this, site, entry.clock);  // before the lock, as Queue::put
    std::lock_guard lock(mutex_);
    items_.push_back(std::move(entry));
    if (waiters_ > 0) not_empty_.NotifyOne();
  }
  void put_nowait(T item) { put(std::move(item)); }

  RACELENS_NOINLINE T get(bool block = true, double timeout = -1) {
    const detail::Site site = RACELENS_SITE();
    std::unique_lock lock(mutex_);
    if (block && timeout != -1) detail::CheckQueueTimeout(timeout);
    if (items_.empty()) {
      if (!block) throw Empty();
      const auto deadline = detail::Deadline::After(timeout);
      ++waiters_;
      const bool ok = detail::WaitAnnouncingSleep(lock, not_empty_, this, deadline,
                                                  detail::BlockingCall::kQueueGet, timeout, site,
                                                  [this] { return !items_.empty(); });
      --waiters_;
      if (!ok) throw Empty();
    }
    detail::QueueEntry<T> entry = std::move(items_.front());
    items_.pop_front();
    lock.unlock();
    RACELENS_HOOK(OnQueueGet, this, site, entry.clock);
    return std::move(entry.value);
  }
  T get_nowait() { return get(false); }

  std::size_t qsize() const {
    std::lock_guard lock(mutex_);
    return items_.size();
  }
  bool empty() const { return qsize() == 0; }
  const std::string& name() const noexcept { return name_; }

 private:
  mutable detail::SpinningMutex mutex_;
  detail::CondVar not_empty_;
  std::ptrdiff_t waiters_ = 0;
  std::deque<detail::QueueEntry<T>> items_;
  std::string name_;
};

}  // namespace racelens
