// racelens/racelens.hpp — everything in the racelens runtime API.
#pragma once

#include "racelens/errors.hpp"
#include "racelens/futures.hpp"
#include "racelens/mp_queue.hpp"
#include "racelens/pool.hpp"
#include "racelens/process.hpp"
#include "racelens/process_executor.hpp"
#include "racelens/queue.hpp"
#include "racelens/random.hpp"
#include "racelens/threading.hpp"
