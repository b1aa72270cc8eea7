#include "racelens/time.hpp"

#include <chrono>
#include <thread>

#include "racelens/detail/deadline.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/errors.hpp"

namespace racelens {

void sleep(double seconds) {
  if (seconds < 0) throw ValueError("sleep length must be non-negative");
  RACELENS_HOOK(OnSleep, seconds, RACELENS_SITE());
  const auto deadline = detail::Deadline::After(seconds);
  std::this_thread::sleep_until(deadline.when());
}

double monotonic() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace racelens
