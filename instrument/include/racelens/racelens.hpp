// racelens/racelens.hpp — everything in the racelens runtime API.
#pragma once

#include "racelens/errors.hpp"
#include "racelens/futures.hpp"
#include "racelens/pool.hpp"
#include "racelens/queue.hpp"
#include "racelens/threading.hpp"
