// ThreadPoolExecutor's out-of-line parts: racelens/executor.hpp.
#include "racelens/executor.hpp"

#include <sched.h>

#include <atomic>
#include <thread>

#include "racelens/errors.hpp"

namespace racelens {
namespace detail {

std::size_t ProcessCpuCount() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int count = CPU_COUNT(&set);
    if (count > 0) return static_cast<std::size_t>(count);
  }
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware > 0 ? hardware : 1;
}

std::size_t DefaultExecutorWorkers() { return std::min<std::size_t>(32, ProcessCpuCount() + 4); }

std::string NextExecutorPrefix() {
  static std::atomic<int> counter{0};
  return "ThreadPoolExecutor-" + std::to_string(counter.fetch_add(1));
}

void ThrowSubmitRefused(const void* executor, ThreadPoolCore::SubmitStatus status, Site site) {
  const char* message = status == ThreadPoolCore::SubmitStatus::kInterpreterShutdown
                            ? "cannot schedule new futures after interpreter shutdown"
                            : "cannot schedule new futures after shutdown";
  RACELENS_HOOK(OnMisuse, executor, MisuseKind::kSubmitAfterShutdown, message, site);
  throw RuntimeError(message);
}

}  // namespace detail

ThreadPoolExecutor::ThreadPoolExecutor(std::optional<int> max_workers,
                                       std::string thread_name_prefix) {
  std::size_t workers = detail::DefaultExecutorWorkers();
  if (max_workers.has_value()) {
    if (*max_workers <= 0) throw ValueError("max_workers must be greater than 0");
    workers = static_cast<std::size_t>(*max_workers);
  }
  if (thread_name_prefix.empty()) thread_name_prefix = detail::NextExecutorPrefix();
  core_ = detail::ThreadPoolCore::Create({.max_workers = workers,
                                          .name_prefix = std::move(thread_name_prefix),
                                          .on_demand = true,
                                          .join_at_exit = true});
}

ThreadPoolExecutor::~ThreadPoolExecutor() { shutdown(true); }

void ThreadPoolExecutor::shutdown(bool wait, bool cancel_futures) {
  core_->Shutdown(wait, cancel_futures);
}

}  // namespace racelens
