// ThreadPool's out-of-line parts: racelens/pool.hpp.
#include "racelens/pool.hpp"

#include <atomic>

namespace racelens::detail {

void ThrowPoolNotRunning(const void* pool, Site site) {
  RACELENS_HOOK(OnMisuse, pool, MisuseKind::kPoolNotRunning, "Pool not running", site);
  throw ValueError("Pool not running");
}

void ThrowPoolStillRunning(const void* pool, Site site) {
  RACELENS_HOOK(OnMisuse, pool, MisuseKind::kPoolStillRunning, "Pool is still running", site);
  throw ValueError("Pool is still running");
}

std::size_t CheckedPoolSize(std::optional<int> processes) {
  if (!processes.has_value()) return ProcessCpuCount();
  if (*processes < 1) throw ValueError("Number of processes must be at least 1");
  return static_cast<std::size_t>(*processes);
}

std::string NextProcessPoolName() {
  static std::atomic<int> counter{0};
  return "Pool-" + std::to_string(counter.fetch_add(1));
}

void ProcessPoolBackend::Submit(std::unique_ptr<ProcessTask> task, Site site) {
  const auto status = core_->Submit(std::move(task), site);
  if (status == ProcessPoolCore::SubmitStatus::kBroken) {
    throw BrokenProcessPool(kBrokenPoolSubmitMessage);
  }
  // kShutdown cannot happen: the pool refuses work after close()/terminate() itself.
}

std::string NextThreadPoolPrefix() {
  static std::atomic<int> counter{0};
  return "ThreadPool-" + std::to_string(counter.fetch_add(1));
}

}  // namespace racelens::detail
