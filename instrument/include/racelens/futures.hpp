// racelens/futures.hpp — Python's `concurrent.futures` (threads).
//
// Includes Future<T> and FutureState (future.hpp), as_completed() and wait()
// with FIRST_COMPLETED / FIRST_EXCEPTION / ALL_COMPLETED (future_wait.hpp),
// and ThreadPoolExecutor (executor.hpp). The exceptions (CancelledError,
// TimeoutError, InvalidStateError, BrokenExecutor) are in errors.hpp. See each
// header for its contract.
#pragma once

#include "racelens/errors.hpp"
#include "racelens/executor.hpp"
#include "racelens/future.hpp"
#include "racelens/future_wait.hpp"
