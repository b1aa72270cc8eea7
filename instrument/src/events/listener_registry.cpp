#include "events/listener_registry.hpp"

#include <stdexcept>

namespace racelens::detail {

ListenerRegistry& ListenerRegistry::Instance() {
  static ListenerRegistry* const instance = new ListenerRegistry();  // never destroyed
  return *instance;
}

void ListenerRegistry::Add(EventListener* listener) {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    EventListener* expected = nullptr;
    if (slots_[i].compare_exchange_strong(expected, listener, std::memory_order_acq_rel)) {
      // Published after the slot: a hook that sees the new bound sees the listener.
      std::size_t used = used_.load(std::memory_order_relaxed);
      while (used < i + 1 && !used_.compare_exchange_weak(used, i + 1, std::memory_order_release,
                                                          std::memory_order_relaxed)) {
      }
      return;
    }
  }
  throw std::length_error("racelens: too many event listeners are registered");
}

void ListenerRegistry::Remove(EventListener* listener) {
  for (auto& slot : slots_) {
    EventListener* expected = listener;
    if (slot.compare_exchange_strong(expected, nullptr, std::memory_order_acq_rel)) return;
  }
}

}  // namespace racelens::detail
