#include "racelens/time.hpp"

#include <chrono>
#include <thread>

#include "racelens/detail/deadline.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/detail/sched.hpp"
#include "racelens/errors.hpp"
#include "schedule/scheduler.hpp"

namespace racelens {

namespace detail {
std::atomic<SteadyClockReader> g_steady_now{nullptr};
}  // namespace detail

void sleep(double seconds) {
  if (seconds < 0) throw ValueError("sleep length must be non-negative");
  RACELENS_HOOK(OnSleep, seconds, RACELENS_SITE());
  // After the hook (a scheduling point): under the scheduler nothing runs
  // between taking the deadline and blocking, so the sleeper wakes exactly at it.
  const auto deadline = detail::Deadline::After(seconds);
  if (detail::SchedActive()) {
    // On the virtual clock; a thread without a slot (about to be refused) sleeps for real.
    if (!schedule::Scheduler::Get()->Sleep(deadline)) {
      std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    }
    return;
  }
  // sleep_until would read steady_clock itself, bypassing SteadyNow().
  for (auto left = deadline.left(); left > left.zero(); left = deadline.left()) {
    std::this_thread::sleep_for(left);
  }
}

double monotonic() {
  return std::chrono::duration<double>(detail::SteadyNow().time_since_epoch()).count();
}

}  // namespace racelens
