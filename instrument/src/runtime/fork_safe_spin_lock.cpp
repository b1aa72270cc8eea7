// runtime/fork_safe_spin_lock.cpp — see fork_safe_spin_lock.hpp.
#include "runtime/fork_safe_spin_lock.hpp"

#include <pthread.h>

namespace racelens::detail {
namespace {

constinit std::atomic<std::uint32_t> g_fork_generation{1};

[[maybe_unused]] const int g_atfork_registered = ::pthread_atfork(
    nullptr, nullptr, [] { g_fork_generation.fetch_add(1, std::memory_order_relaxed); });

}  // namespace

std::uint32_t ForkGeneration() noexcept {
  return g_fork_generation.load(std::memory_order_relaxed);
}

}  // namespace racelens::detail
