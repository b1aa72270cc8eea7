// racelens/threading.hpp — Python's `threading` module.
//
// Includes every threading primitive: Thread and the inspection functions
// (thread.hpp), Lock, RLock, Condition, Semaphore, BoundedSemaphore, Event,
// Barrier, Timer, local<T>, and sleep/monotonic (time.hpp). See each header
// for its contract.
#pragma once

#include "racelens/barrier.hpp"
#include "racelens/condition.hpp"
#include "racelens/errors.hpp"
#include "racelens/event.hpp"
#include "racelens/local.hpp"
#include "racelens/lock.hpp"
#include "racelens/rlock.hpp"
#include "racelens/semaphore.hpp"
#include "racelens/thread.hpp"
#include "racelens/time.hpp"
#include "racelens/timer.hpp"
