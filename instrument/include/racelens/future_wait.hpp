// racelens/future_wait.hpp — concurrent.futures.as_completed() and wait().
//
// Defines:
//   ReturnWhen, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED
//   DoneAndNotDoneFutures<T>          {done, not_done}: two std::set<Future<T>>
//   wait(fs, timeout=-1, return_when=ALL_COMPLETED)
//   as_completed(fs, timeout=-1)      a lazily blocking range of Future<T>
//
// Both take any input range of Future<T> (or a braced list) and ignore
// duplicates, as CPython does. A future counts as done for them when FINISHED
// or CANCELLED_AND_NOTIFIED (a cancelled future whose executor has not yet
// seen the cancellation is still pending, as in CPython).
//
//   wait()           blocks until the return_when condition holds or `timeout`
//                    seconds pass (negative: no timeout); never throws on timeout,
//                    the futures still pending are in not_done.
//                    FIRST_COMPLETED: any future done. FIRST_EXCEPTION: any future
//                    finished by raising, else all done. ALL_COMPLETED: all done.
//   as_completed()   yields the futures already done first, then each one as it
//                    completes. Advancing the iterator blocks; when `timeout` (from
//                    the call) passes with futures pending it throws
//                    TimeoutError("N (of M) futures unfinished"). Destroying the range
//                    early is fine.
//
// Happens-before: the completion of every future in `done` happens before
// wait() returns; the completion of a future as_completed() yields happens
// before the yield.
//
// Thread-safety: the functions are thread-safe; one as_completed range must
// not be iterated by two threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <ranges>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "racelens/detail/future_core.hpp"
#include "racelens/future.hpp"

namespace racelens {

enum class ReturnWhen : std::uint8_t { FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED };
inline constexpr ReturnWhen FIRST_COMPLETED = ReturnWhen::FIRST_COMPLETED;
inline constexpr ReturnWhen FIRST_EXCEPTION = ReturnWhen::FIRST_EXCEPTION;
inline constexpr ReturnWhen ALL_COMPLETED = ReturnWhen::ALL_COMPLETED;

template <class T>
struct DoneAndNotDoneFutures {
  std::set<Future<T>> done;
  std::set<Future<T>> not_done;
};

namespace detail {

template <class R>
using FutureValueOf = typename std::ranges::range_value_t<R>::value_type;

// For each of the distinct `futures`: whether it is done when wait() returns.
std::vector<bool> WaitForFutures(const std::vector<FutureCore*>& futures, double timeout,
                                 ReturnWhen return_when, Site site);

// The untyped state of one as_completed() call.
class AsCompletedCore {
 public:
  AsCompletedCore(const std::vector<FutureCore*>& futures, double timeout);
  AsCompletedCore(const AsCompletedCore&) = delete;
  AsCompletedCore& operator=(const AsCompletedCore&) = delete;
  ~AsCompletedCore();

  // The next done future; nullptr when none is left. TimeoutError on expiry.
  FutureCore* Next(Site site);

 private:
  const Deadline deadline_;
  const double timeout_;
  const std::size_t total_;
  std::deque<FutureCore*> ready_;
  std::unordered_set<FutureCore*> pending_;
  std::unordered_set<FutureCore*> installed_;  // futures holding the waiter
  FutureWaiter waiter_;
};

}  // namespace detail

template <class T>
class AsCompleted {
 public:
  class iterator {
   public:
    using value_type = Future<T>;
    using difference_type = std::ptrdiff_t;
    using reference = const Future<T>&;
    using iterator_category = std::input_iterator_tag;

    iterator() = default;
    reference operator*() const { return current_; }
    const Future<T>* operator->() const { return &current_; }
    iterator& operator++() {
      if (!owner_->Next(current_)) {
        owner_ = nullptr;
        current_ = Future<T>(nullptr);  // keep no reference past the end
      }
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, const iterator& b) { return a.owner_ == b.owner_; }

   private:
    friend class AsCompleted;
    explicit iterator(AsCompleted* owner) : owner_(owner) { ++*this; }
    AsCompleted* owner_ = nullptr;  // null: the end
    Future<T> current_{nullptr};
  };

  AsCompleted(std::vector<Future<T>> distinct, double timeout) {
    std::vector<detail::FutureCore*> cores;
    cores.reserve(distinct.size());
    for (Future<T>& f : distinct) {
      cores.push_back(f.cell().get());
      futures_.emplace(f.cell().get(), std::move(f));
    }
    core_ = std::make_unique<detail::AsCompletedCore>(cores, timeout);
  }

  // Starts the iteration (blocks until the first future is done).
  iterator begin() { return iterator(this); }
  iterator end() const { return iterator(); }

 private:
  RACELENS_NOINLINE bool Next(Future<T>& out) {
    detail::FutureCore* next = core_->Next(RACELENS_SITE());
    if (next == nullptr) return false;
    auto it = futures_.find(next);
    out = std::move(it->second);
    futures_.erase(it);  // no reference kept to a future handed out
    return true;
  }

  std::unordered_map<detail::FutureCore*, Future<T>> futures_;
  std::unique_ptr<detail::AsCompletedCore> core_;
};

namespace detail {

template <class T, class R>
std::vector<Future<T>> DistinctFutures(R&& fs) {
  std::vector<Future<T>> distinct;
  std::unordered_set<const void*> seen;
  for (const Future<T>& f : fs) {
    if (seen.insert(f.cell().get()).second) distinct.push_back(f);
  }
  return distinct;
}

template <class T>
RACELENS_NOINLINE DoneAndNotDoneFutures<T> WaitImpl(std::vector<Future<T>> distinct, double timeout,
                                                    ReturnWhen return_when) {
  std::vector<FutureCore*> cores;
  cores.reserve(distinct.size());
  for (const Future<T>& f : distinct) cores.push_back(f.cell().get());
  const std::vector<bool> done = WaitForFutures(cores, timeout, return_when, RACELENS_SITE());
  DoneAndNotDoneFutures<T> result;
  for (std::size_t i = 0; i < distinct.size(); ++i) {
    (done[i] ? result.done : result.not_done).insert(std::move(distinct[i]));
  }
  return result;
}

}  // namespace detail

template <std::ranges::input_range R>
  requires std::same_as<std::ranges::range_value_t<R>,
                        Future<typename std::ranges::range_value_t<R>::value_type>>
DoneAndNotDoneFutures<detail::FutureValueOf<R>> wait(R&& fs, double timeout = -1,
                                                     ReturnWhen return_when = ALL_COMPLETED) {
  using T = detail::FutureValueOf<R>;
  return detail::WaitImpl<T>(detail::DistinctFutures<T>(std::forward<R>(fs)), timeout, return_when);
}

template <class T>
DoneAndNotDoneFutures<T> wait(std::initializer_list<Future<T>> fs, double timeout = -1,
                              ReturnWhen return_when = ALL_COMPLETED) {
  return detail::WaitImpl<T>(detail::DistinctFutures<T>(fs), timeout, return_when);
}

template <std::ranges::input_range R>
  requires std::same_as<std::ranges::range_value_t<R>,
                        Future<typename std::ranges::range_value_t<R>::value_type>>
AsCompleted<detail::FutureValueOf<R>> as_completed(R&& fs, double timeout = -1) {
  using T = detail::FutureValueOf<R>;
  return AsCompleted<T>(detail::DistinctFutures<T>(std::forward<R>(fs)), timeout);
}

template <class T>
AsCompleted<T> as_completed(std::initializer_list<Future<T>> fs, double timeout = -1) {
  return AsCompleted<T>(detail::DistinctFutures<T>(fs), timeout);
}

}  // namespace racelens
