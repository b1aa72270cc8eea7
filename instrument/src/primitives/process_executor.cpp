// ProcessPoolExecutor's out-of-line parts: racelens/process_executor.hpp.
#include "racelens/process_executor.hpp"

#include <atomic>
#include <string>

#include "racelens/errors.hpp"
#include "racelens/executor.hpp"

namespace racelens {
namespace detail {

std::string NextProcessExecutorName() {
  static std::atomic<int> counter{0};
  return "ProcessPoolExecutor-" + std::to_string(counter.fetch_add(1));
}

void ThrowProcessSubmitRefused(const void* executor, ProcessPoolCore::SubmitStatus status,
                               Site site) {
  if (status == ProcessPoolCore::SubmitStatus::kBroken) {
    throw BrokenProcessPool(kBrokenPoolSubmitMessage);
  }
  const char* message = "cannot schedule new futures after shutdown";
  RACELENS_HOOK(OnMisuse, executor, MisuseKind::kSubmitAfterShutdown, message, site);
  throw RuntimeError(message);
}

}  // namespace detail

ProcessPoolExecutor::ProcessPoolExecutor(std::optional<int> max_workers) {
  std::size_t workers = detail::ProcessCpuCount();
  if (max_workers.has_value()) {
    if (*max_workers <= 0) throw ValueError("max_workers must be greater than 0");
    workers = static_cast<std::size_t>(*max_workers);
  }
  core_ = detail::ProcessPoolCore::Create(
      {.workers = workers, .name = detail::NextProcessExecutorName(), .start_now = false});
}

ProcessPoolExecutor::~ProcessPoolExecutor() { shutdown(true); }

void ProcessPoolExecutor::shutdown(bool wait, bool cancel_futures) {
  core_->Shutdown(wait, cancel_futures);
}

}  // namespace racelens
