// racelens/errors.hpp — the exception types of the racelens runtime.
//
// Every error the runtime throws derives from `racelens::Error`, itself a
// `std::runtime_error`, and mirrors the Python exception of the same name.
// `what()` carries CPython's message for the same situation (for example
// `RuntimeError("release unlocked lock")`), so ported programs and their
// tests can match on the text they know from Python. `Empty` and `Full`, like
// Python's `queue.Empty` and `queue.Full`, carry an empty message.
//
// Thread-safety: exception objects are plain values.
#pragma once

#include <stdexcept>
#include <string>

namespace racelens {

// Base of every racelens exception.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Python's RuntimeError: misuse of a lock, a thread, or an executor.
class RuntimeError : public Error {
 public:
  using Error::Error;
};

// Python's ValueError: an argument with an invalid value.
class ValueError : public Error {
 public:
  using Error::Error;
};

// Python's OverflowError: a timeout larger than `TIMEOUT_MAX`.
class OverflowError : public Error {
 public:
  using Error::Error;
};

// Python's TimeoutError: a `Future.result(timeout)` or `as_completed` that expired.
class TimeoutError : public Error {
 public:
  using Error::Error;
};

// queue.Empty: `get(block=false)` or a timed `get` found no item.
class Empty : public Error {
 public:
  Empty() : Error("") {}
};

// queue.Full: `put(block=false)` or a timed `put` found no free slot.
class Full : public Error {
 public:
  Full() : Error("") {}
};

// threading.BrokenBarrierError: the barrier was aborted, reset, or timed out.
class BrokenBarrierError : public RuntimeError {
 public:
  BrokenBarrierError() : RuntimeError("") {}
};

// concurrent.futures.CancelledError: the result of a cancelled future.
class CancelledError : public Error {
 public:
  CancelledError() : Error("") {}
};

// concurrent.futures.InvalidStateError: a finished future was set again.
class InvalidStateError : public Error {
 public:
  using Error::Error;
};

// concurrent.futures.BrokenExecutor: the executor can no longer run tasks.
class BrokenExecutor : public RuntimeError {
 public:
  using RuntimeError::RuntimeError;
};

// concurrent.futures.process.BrokenProcessPool: a worker process died.
class BrokenProcessPool : public BrokenExecutor {
 public:
  using BrokenExecutor::BrokenExecutor;
};

// A task that threw inside a child process, rethrown in the parent;
// `what()` is "<original type name>: <original what()>".
class ProcessError : public RuntimeError {
 public:
  using RuntimeError::RuntimeError;
};

}  // namespace racelens
