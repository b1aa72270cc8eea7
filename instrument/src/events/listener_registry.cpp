#include "events/listener_registry.hpp"

#include <stdexcept>

namespace racelens::detail {

ListenerRegistry& ListenerRegistry::Instance() {
  static ListenerRegistry* const instance = new ListenerRegistry();  // never destroyed
  return *instance;
}

void ListenerRegistry::Add(EventListener* listener) {
  for (auto& slot : slots_) {
    EventListener* expected = nullptr;
    if (slot.compare_exchange_strong(expected, listener, std::memory_order_acq_rel)) return;
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
