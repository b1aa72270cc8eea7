#include "racelens/time.hpp"

#include <chrono>
#include <thread>

#include "racelens/detail/deadline.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/errors.hpp"

namespace racelens {

namespace detail {
std::atomic<SteadyClockReader> g_steady_now{nullptr};
}  // namespace detail

void sleep(double seconds) {
  if (seconds < 0) throw ValueError("sleep length must be non-negative");
  RACELENS_HOOK(OnSleep, seconds, RACELENS_SITE());
  const auto deadline = detail::Deadline::After(seconds);
  // sleep_until would read steady_clock itself, bypassing SteadyNow().
  for (auto left = deadline.left(); left > left.zero(); left = deadline.left()) {
    std::this_thread::sleep_for(left);
  }
}

double monotonic() {
  return std::chrono::duration<double>(detail::SteadyNow().time_since_epoch()).count();
}

}  // namespace racelens
