// racelens/future.hpp — concurrent.futures.Future.
//
// Defines:
//   FutureState   PENDING, RUNNING, CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED
//   Future<T>     the eventual result of a task (T may be void)
//
// A Future<T> is a handle to shared state, as a Python future is a reference:
// copies refer to the same future, compare equal, and order/hash by identity,
// so they can go into std::set and std::unordered_set (as_completed() and
// wait() return sets). A default-constructed Future<T> is a new PENDING future
// (Python's `Future()`).
//
// State table (CPython's concurrent.futures._base):
//
//   call                           PENDING     RUNNING   CANCELLED   CANCELLED_AND_  FINISHED
//                                                                    NOTIFIED
//   cancel()                       ->CANCELLED false     true        true            false
//                                  true
//   set_running_or_notify_cancel() ->RUNNING   error     ->C_A_N     error           error
//                                  true                  false
//   set_result/set_exception       ->FINISHED  ->FINISHED InvalidStateError ... InvalidStateError
//   done()                         false       false     true        true            true
//
//   cancel()         true when the future is (now) cancelled; a running or finished
//                    future cannot be cancelled
//   cancelled(), running(), done()   snapshots of the state
//   result(timeout=-1)     blocks until done; returns the value (a reference into the
//                          shared state, valid while any handle lives), rethrows the
//                          task's exception, raises CancelledError when cancelled and
//                          TimeoutError when `timeout` (seconds, >= 0) passes first;
//                          negative waits forever
//   exception(timeout=-1)  as result(), but returns the task's exception (null on
//                          success) instead of rethrowing it
//   add_done_callback(fn)  calls fn(future) when the future is done, on the thread that
//                          completes or cancels it; at once on the calling thread when it
//                          is done already. An exception from fn is printed to stderr
//                          ("exception calling callback for <Future ...>") and ignored.
//   set_running_or_notify_cancel(), set_result(v), set_exception(e)
//                          for executors and tests, as in Python: the completer side. A
//                          process pool completes its futures from its manager thread with
//                          these. Setting a done future raises InvalidStateError
//                          ("FINISHED: <Future at 0x... state=finished returned int>").
//   repr()                 "<Future at 0x... state=pending>", "... state=finished raised
//                          ValueError>", "... state=finished returned int>"
//
// Happens-before: set_result/set_exception/cancel happen before every
// result(), exception(), done() or cancelled() that observes the completion,
// before callbacks, and before as_completed()/wait() hand the future out.
//
// Thread-safety: all members are thread-safe.
#pragma once

#include <compare>
#include <concepts>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "racelens/detail/future_core.hpp"
#include "racelens/detail/hooks.hpp"

namespace racelens {

template <class T>
class Future {
  static_assert(std::is_void_v<T> || (std::is_object_v<T> && !std::is_array_v<T>),
                "Future<T>: T must be void or an object type (no references or arrays)");

 public:
  using value_type = T;
  using Cell = detail::FutureCell<T>;

  // A new PENDING future, completed later with set_result/set_exception.
  Future() : cell_(std::make_shared<Cell>()) {}
  // Internal: a handle to an existing cell (executors build their futures so).
  explicit Future(std::shared_ptr<Cell> cell) : cell_(std::move(cell)) {}

  bool cancel() { return cell_->Cancel(); }
  bool cancelled() const { return cell_->Cancelled(); }
  bool running() const { return cell_->Running(); }
  bool done() const { return cell_->Done(); }
  // The current state (Python's `future._state`), for tests and diagnostics.
  FutureState state() const { return cell_->State(); }

  RACELENS_NOINLINE std::add_lvalue_reference_t<const T> result(double timeout = -1) const {
    if (std::exception_ptr error =
            cell_->Await(timeout, detail::BlockingCall::kFutureResult, RACELENS_SITE())) {
      std::rethrow_exception(error);
    }
    if constexpr (!std::is_void_v<T>) return *cell_->value;
  }

  RACELENS_NOINLINE std::exception_ptr exception(double timeout = -1) const {
    return cell_->Await(timeout, detail::BlockingCall::kFutureException, RACELENS_SITE());
  }

  template <class F>
    requires std::invocable<F&, Future<T>>
  void add_done_callback(F fn) {
    cell_->AddDoneCallback([fn = std::move(fn)](detail::FutureCore& core) mutable {
      fn(Future<T>(std::static_pointer_cast<Cell>(core.shared_from_this())));
    });
  }

  bool set_running_or_notify_cancel() { return cell_->SetRunningOrNotifyCancel(); }

  template <class... U>
    requires(std::is_void_v<T> ? sizeof...(U) == 0
                               : (sizeof...(U) == 1 && (std::is_constructible_v<T, U &&> && ...)))
  void set_result(U&&... value) {
    if constexpr (std::is_void_v<T>) {
      cell_->Finish(nullptr, nullptr, nullptr);
    } else {
      T v(std::forward<U>(value)...);
      cell_->Finish(nullptr, &Cell::StoreValue, &v);
    }
  }

  void set_exception(std::exception_ptr error) {
    if (error == nullptr) throw std::invalid_argument("set_exception: null exception_ptr");
    cell_->Finish(std::move(error), nullptr, nullptr);
  }
  template <class E>
    requires(!std::same_as<std::decay_t<E>, std::exception_ptr>)
  void set_exception(E&& error) {
    set_exception(std::make_exception_ptr(std::forward<E>(error)));
  }

  std::string repr() const { return cell_->Repr(); }

  friend bool operator==(const Future& a, const Future& b) noexcept { return a.cell_ == b.cell_; }
  friend std::strong_ordering operator<=>(const Future& a, const Future& b) noexcept {
    return std::compare_three_way{}(a.cell_.get(), b.cell_.get());
  }

  // Internal: the shared state.
  const std::shared_ptr<Cell>& cell() const noexcept { return cell_; }

 private:
  std::shared_ptr<Cell> cell_;
};

}  // namespace racelens

template <class T>
struct std::hash<racelens::Future<T>> {
  std::size_t operator()(const racelens::Future<T>& f) const noexcept {
    return std::hash<const void*>{}(f.cell().get());
  }
};
