// racelens/async_result.hpp — multiprocessing.pool.AsyncResult.
//
// The handle Pool::apply_async returns; a view of the task's Future<T>.
//
//   get(timeout=-1)    blocks until the task is done and returns its value (void for
//                      T = void), rethrows its exception, raises TimeoutError when
//                      `timeout` seconds (>= 0) pass first; negative waits forever. A
//                      task dropped by terminate() raises CancelledError (CPython leaves
//                      it unfinished forever).
//   wait(timeout=-1)   blocks until done or the timeout passes
//   ready()            whether the task is done
//   successful()       whether it finished without an exception; ValueError("<AsyncResult
//                      object at 0x...> not ready") while not done, as CPython
//
// Happens-before: the end of the task happens before a get() or wait() that sees it
// done, and before ready()/successful() returning true.
//
// Thread-safety: all members are thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>

#include "racelens/detail/hooks.hpp"
#include "racelens/errors.hpp"
#include "racelens/future.hpp"

namespace racelens {

template <class T>
class AsyncResult {
 public:
  explicit AsyncResult(Future<T> future) : future_(std::move(future)) {}

  RACELENS_NOINLINE std::add_lvalue_reference_t<const T> get(double timeout = -1) const {
    const std::exception_ptr error =
        future_.cell()->Await(timeout, detail::BlockingCall::kAsyncResultGet, RACELENS_SITE());
    if (error != nullptr) std::rethrow_exception(error);
    if constexpr (!std::is_void_v<T>) return *future_.cell()->value;
  }

  RACELENS_NOINLINE void wait(double timeout = -1) const {
    future_.cell()->WaitDone(timeout, detail::BlockingCall::kAsyncResultWait, RACELENS_SITE());
  }

  bool ready() const { return future_.done(); }

  bool successful() const {
    if (!ready()) {
      char text[64];
      std::snprintf(text, sizeof text, "<AsyncResult object at %#llx> not ready",
                    static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(this)));
      throw ValueError(text);
    }
    return !future_.cancelled() && !future_.cell()->FinishedWithException();
  }

  // The underlying future.
  const Future<T>& future() const noexcept { return future_; }

 private:
  Future<T> future_;
};

}  // namespace racelens
