// tests/support/futures.hpp — CPython test_concurrent_futures/util.py's helpers in C++.
//
// CreateFuture(state, ...) builds a future in any state through the public
// completer API (Python's create_future() assigns `_state` directly):
// CANCELLED is a cancelled future, CANCELLED_AND_NOTIFIED one whose
// cancellation was also seen by set_running_or_notify_cancel().
#pragma once

#include <exception>
#include <stdexcept>

#include "racelens/futures.hpp"

namespace racelens::testing {

inline Future<int> CreateFuture(FutureState state, std::exception_ptr exception = nullptr,
                                int result = 0) {
  Future<int> f;
  switch (state) {
    case FutureState::PENDING:
      break;
    case FutureState::RUNNING:
      f.set_running_or_notify_cancel();
      break;
    case FutureState::CANCELLED:
      f.cancel();
      break;
    case FutureState::CANCELLED_AND_NOTIFIED:
      f.cancel();
      f.set_running_or_notify_cancel();
      break;
    case FutureState::FINISHED:
      if (exception != nullptr) {
        f.set_exception(exception);
      } else {
        f.set_result(result);
      }
      break;
  }
  return f;
}

// Python's OSError() in EXCEPTION_FUTURE.
class OSError : public std::runtime_error {
 public:
  OSError() : std::runtime_error("") {}
};

// The module-level futures of util.py; fresh ones per test, as each test process of ours
// runs many tests.
struct StateFutures {
  Future<int> pending = CreateFuture(FutureState::PENDING);
  Future<int> running = CreateFuture(FutureState::RUNNING);
  Future<int> cancelled = CreateFuture(FutureState::CANCELLED);
  Future<int> cancelled_and_notified = CreateFuture(FutureState::CANCELLED_AND_NOTIFIED);
  Future<int> exception = CreateFuture(FutureState::FINISHED, std::make_exception_ptr(OSError()));
  Future<int> successful = CreateFuture(FutureState::FINISHED, nullptr, 42);
};

}  // namespace racelens::testing
