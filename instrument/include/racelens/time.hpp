// racelens/time.hpp — time.sleep and time.monotonic.
//
//   sleep(seconds)   pause the calling thread; ValueError("sleep length must be
//                    non-negative") for a negative length. A scheduling point.
//   monotonic()      seconds on the steady clock, as a double
//
// Thread-safety: both are thread-safe.
#pragma once

namespace racelens {

void sleep(double seconds);
double monotonic();

}  // namespace racelens
