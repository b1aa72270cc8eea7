// Out-of-line parts of racelens/queue.hpp shared by every queue type.
#include "racelens/queue.hpp"

namespace racelens::detail {

void CheckQueueTimeout(double timeout) {
  if (timeout < 0) throw ValueError("'timeout' must be a non-negative number");
}

void ThrowTaskDoneTooManyTimes(const void* queue, Site site) {
  RACELENS_HOOK(OnMisuse, queue, MisuseKind::kTaskDoneTooManyTimes,
                "task_done() called too many times", site);
  throw ValueError("task_done() called too many times");
}

}  // namespace racelens::detail
