// Runtime start-up: reads RACELENS_OPTIONS before main() runs.
#include <cstdio>
#include <cstdlib>

#include "racelens/detail/hooks.hpp"
#include "runtime/options.hpp"
#include "runtime/runtime.hpp"
#include "runtime/thread_registry.hpp"

namespace racelens::detail {

bool InitRuntime() {
  Options options;
  if (const char* text = std::getenv("RACELENS_OPTIONS")) {
    try {
      options = ParseOptions(text);
    } catch (const OptionsError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      std::exit(2);
    }
  }
  g_hooks_enabled.store(options.detect, std::memory_order_relaxed);
  ThreadRegistry::Instance();
  return true;
}

}  // namespace racelens::detail
