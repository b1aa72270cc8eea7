// racelens/detail/work_queue.hpp — the FIFO of a thread pool's tasks (internal).
//
// Defines:
//   WorkItem    one queued task (the executor's TaskCell is both the future and the item)
//   WorkQueue   a FIFO of WorkItems for many producers and many consumers
//
// WorkQueue is Dmitry Vyukov's intrusive multi-producer queue: a push is one
// atomic exchange and never waits, so a thread submitting tasks at a high
// rate does not fight the workers for a lock. Consumers take a short lock
// among themselves. While an item is queued the queue holds a reference to it.
//
// size() counts an item from the start of its Push() to the end of the Pop()
// that takes it, so a consumer that sees size() > 0 finds an item to pop
// (waiting a few instructions for a push in progress when it must).
//
// Thread-safety: all members are thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "racelens/detail/futex_lock.hpp"
#include "racelens/detail/future_core.hpp"
#include "racelens/detail/hooks.hpp"

namespace racelens::detail {

class WorkQueue;

// A link of the queue.
class QueueNode {
 private:
  friend class WorkQueue;
  std::atomic<QueueNode*> next_{nullptr};
};

class WorkItem : public QueueNode {
 public:
  virtual ~WorkItem() = default;
  // Runs the task unless its future was cancelled (false), keeping the
  // outcome for Publish(). Never throws.
  virtual bool Execute() = 0;
  // Completes the future with the kept outcome; its callbacks go to `deferred`.
  virtual void Publish(FutureCore::Callbacks& deferred) = 0;
  // The future, for callbacks and for cancelling a task that never ran.
  virtual FutureCore& Future() = 0;

  SyncClock submitted;  // submit -> task start

 private:
  friend class WorkQueue;
  std::shared_ptr<WorkItem> queued_;  // the queue's reference while queued
};

class WorkQueue {
 public:
  WorkQueue() = default;
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;
  ~WorkQueue() {
    while (Pop() != nullptr) {
    }
  }

  // Appends `item`; true when the queue was empty before.
  bool Push(std::shared_ptr<WorkItem> item) noexcept {
    WorkItem* node = item.get();
    node->queued_ = std::move(item);
    const bool was_empty = count_.fetch_add(1, std::memory_order_seq_cst) == 0;
    Link(node);
    return was_empty;
  }

  // The oldest item, or null when the queue is empty.
  std::shared_ptr<WorkItem> Pop() {
    if (count_.load(std::memory_order_seq_cst) == 0) return nullptr;
    std::lock_guard lock(pop_mutex_);
    if (count_.load(std::memory_order_seq_cst) == 0) return nullptr;
    auto* item = static_cast<WorkItem*>(PopNodeLocked());
    std::shared_ptr<WorkItem> taken = std::move(item->queued_);
    count_.fetch_sub(1, std::memory_order_seq_cst);
    return taken;
  }

  // Every item, oldest first (for cancelling the queued tasks at shutdown).
  std::vector<std::shared_ptr<WorkItem>> PopAll() {
    std::vector<std::shared_ptr<WorkItem>> items;
    while (auto item = Pop()) items.push_back(std::move(item));
    return items;
  }

  std::size_t size() const noexcept { return count_.load(std::memory_order_seq_cst); }

 private:
  void Link(QueueNode* node) noexcept {
    node->next_.store(nullptr, std::memory_order_relaxed);
    QueueNode* prev = tail_.exchange(node, std::memory_order_acq_rel);
    prev->next_.store(node, std::memory_order_release);
  }

  // With pop_mutex_ held and count_ > 0: unlinks the oldest node. A producer
  // between its exchange and its link is a few instructions from done (or
  // preempted there): wait for it.
  QueueNode* PopNodeLocked() noexcept {
    for (Backoff backoff(64);; backoff.Pause()) {
      QueueNode* head = head_;
      QueueNode* next = head->next_.load(std::memory_order_acquire);
      if (head == &stub_) {
        if (next != nullptr) {
          head_ = next;
          head = next;
          next = next->next_.load(std::memory_order_acquire);
        }
      }
      if (head != &stub_) {
        if (next != nullptr) {
          head_ = next;
          return head;
        }
        if (head == tail_.load(std::memory_order_acquire)) {
          // The last node: put the stub behind it so it can be unlinked.
          Link(&stub_);
          next = head->next_.load(std::memory_order_acquire);
          if (next != nullptr) {
            head_ = next;
            return head;
          }
        }
      }
    }
  }

  static constexpr std::size_t kCacheLine = 64;
  // Consumers' side.
  SpinningMutex pop_mutex_;
  QueueNode stub_;
  QueueNode* head_ = &stub_;  // guarded by pop_mutex_
  // Producers' side.
  alignas(kCacheLine) std::atomic<QueueNode*> tail_{&stub_};
  alignas(kCacheLine) std::atomic<std::size_t> count_{0};
};

}  // namespace racelens::detail
