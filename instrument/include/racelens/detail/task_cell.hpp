// racelens/detail/task_cell.hpp — a submitted task and its future in one allocation (internal).
//
// `TaskCell<R, Fn>` is at once the FutureCell<R> that Future<R> handles share
// and the WorkItem a pool's queue holds: one allocation per task. The callable
// (with its bound arguments) is destroyed as soon as it has run, before the
// result is published, as CPython drops its work item.
//
// Thread-safety: Execute/Publish run on one worker; the future side is thread-safe.
#pragma once

#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "racelens/detail/future_core.hpp"
#include "racelens/detail/thread_pool_core.hpp"
#include "racelens/errors.hpp"
#include "racelens/future.hpp"

namespace racelens::detail {

template <class R, class Fn>
class TaskCell final : public FutureCell<R>, public WorkItem {
 public:
  explicit TaskCell(Fn fn) : fn_(std::move(fn)) {}

  bool Execute() override {
    try {
      if (!this->SetRunningOrNotifyCancel()) {
        fn_.reset();
        return false;
      }
    } catch (const RuntimeError&) {  // completed by hand while queued
      fn_.reset();
      return false;
    }
    try {
      if constexpr (std::is_void_v<R>) {
        (*fn_)();
      } else {
        staged_.emplace((*fn_)());
      }
    } catch (...) {
      error_ = std::current_exception();
    }
    fn_.reset();
    return true;
  }

  void Publish(FutureCore::Callbacks& deferred) override {
    try {
      if (error_ != nullptr) {
        this->Finish(std::move(error_), nullptr, nullptr, &deferred);
      } else if constexpr (std::is_void_v<R>) {
        this->Finish(nullptr, nullptr, nullptr, &deferred);
      } else {
        this->Finish(nullptr, &FutureCell<R>::StoreValue, &*staged_, &deferred);
      }
    } catch (const InvalidStateError&) {
      // The future was completed by hand while the task ran, as CPython allows.
    }
    if constexpr (!std::is_void_v<R>) staged_.reset();
  }

  FutureCore& Future() override { return *this; }

 private:
  struct Nothing {};
  std::optional<Fn> fn_;
  std::conditional_t<std::is_void_v<R>, Nothing, std::optional<R>> staged_;
  std::exception_ptr error_;
};

// A new task running `fn()`: its future and its queue item (one allocation).
template <class R, class Fn>
std::pair<Future<R>, std::shared_ptr<WorkItem>> MakeTask(Fn fn) {
  auto cell = std::make_shared<TaskCell<R, Fn>>(std::move(fn));
  std::shared_ptr<WorkItem> item(cell, static_cast<WorkItem*>(cell.get()));
  return {Future<R>(std::shared_ptr<FutureCell<R>>(std::move(cell))), std::move(item)};
}

}  // namespace racelens::detail
