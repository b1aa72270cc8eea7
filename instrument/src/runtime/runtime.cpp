// Runtime start-up: reads RACELENS_OPTIONS before main() runs and, with
// detect=1, attaches the detector and the exit-status handler.
#include "runtime/runtime.hpp"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>

#include "events/listener_registry.hpp"
#include "racelens/detail/hooks.hpp"
#include "runtime/detector.hpp"
#include "runtime/options.hpp"
#include "runtime/report_sink.hpp"
#include "runtime/thread_registry.hpp"
#include "schedule/pct_strategy.hpp"
#include "schedule/scheduler.hpp"
#include "schedule/strategy.hpp"

namespace racelens::detail {
namespace {

ReportSink* g_sink = nullptr;
Detector* g_detector = nullptr;
int g_exitcode = 66;
std::optional<std::uint64_t> g_seed_option;

// Registered first, so it runs last among the atexit handlers (after the
// join of non-daemon threads): a run that reported anything exits with `exitcode`.
void ExitWithReportStatus() {
  if (const int status = FindingsExitStatus(); status != 0) {
    std::fflush(nullptr);
    _exit(status);
  }
}

// Ends the process at once: std::exit would run static destructors, and
// those may re-enter the runtime whose initialisation this is (a static
// Shared<T> is destroyed through a hook), aborting with recursive_init_error.
[[noreturn]] void StartUpError(const char* message) {
  std::fprintf(stderr, "%s\n", message);
  std::fflush(nullptr);
  _exit(2);
}

std::uint64_t DrawSeed() {
  std::random_device device;
  return std::uint64_t{device()} << 32 | device();
}

// The controlled scheduler found that no thread can ever run again.
[[noreturn]] void OnSchedulerStuck() {
  if (g_detector == nullptr || !g_detector->ReportStuckNow()) {
    std::fprintf(stderr,
                 "racelens: deadlock: under schedule=%s every racelens thread waits and none "
                 "can ever be woken (no thread is runnable and none waits with a timeout).\n",
                 schedule::Scheduler::Get()->name().c_str());
  }
  std::fflush(nullptr);
  _exit(g_exitcode);
}

bool InitRuntime() {
  Options options;
  if (const char* text = std::getenv("RACELENS_OPTIONS")) {
    try {
      options = ParseOptions(text);
    } catch (const OptionsError& e) {
      StartUpError(e.what());
    }
  }
  const bool scheduled = options.schedule != "os";
  // A controlled schedule needs its seed now; racelens::random() draws from the same one.
  g_seed_option = scheduled && !options.seed ? DrawSeed() : options.seed;
  g_exitcode = options.exitcode;
  // Under a controlled schedule the hooks are scheduling points, even with detect=0.
  g_hooks_enabled.store(options.detect || scheduled, std::memory_order_relaxed);
  ThreadRegistry::Instance();
  if (scheduled) {
    std::unique_ptr<schedule::Strategy> strategy;
    if (options.schedule == "pct") {
      strategy = std::make_unique<schedule::PctStrategy>(
          *g_seed_option, options.pct_depth, static_cast<std::uint64_t>(options.pct_steps));
    } else {
      strategy = std::make_unique<schedule::RandomStrategy>(*g_seed_option);
    }
    schedule::Scheduler::Install(options.schedule, std::move(strategy), OnSchedulerStuck);
  }
  if (options.detect) {
    try {
      g_sink = new ReportSink(options);  // never destroyed: daemon threads may still report
    } catch (const std::invalid_argument& e) {
      StartUpError(e.what());
    }
    std::atexit(ExitWithReportStatus);
    g_detector = new Detector(options, *g_sink);  // never destroyed, as the sink
    ListenerRegistry::Instance().Add(g_detector);
  }
  return true;
}

}  // namespace

bool EnsureRuntime() {
  static const bool initialised = InitRuntime();
  return initialised;
}

Detector* RuntimeDetector() { return g_detector; }
ReportSink* RuntimeSink() { return g_sink; }

std::uint64_t RandomSeed() {
  EnsureRuntime();
  static const std::uint64_t seed = g_seed_option ? *g_seed_option : DrawSeed();
  return seed;
}

int FindingsExitStatus() { return g_sink != nullptr && g_sink->reported() > 0 ? g_exitcode : 0; }

}  // namespace racelens::detail
