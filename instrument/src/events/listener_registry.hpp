// events/listener_registry.hpp — who receives runtime events.
//
// A fixed set of slots holding EventListener pointers. Hooks iterate the
// slots; AddListener/RemoveListener may run concurrently with hooks. A
// removed listener may still receive events that were already being
// delivered when RemoveListener returned, so remove a listener only once the
// threads it watches are quiescent (joined) and keep it alive until then.
//
// Thread-safety: all functions are thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>

#include "events/event_listener.hpp"

namespace racelens::detail {

class ListenerRegistry {
 public:
  static constexpr std::size_t kMaxListeners = 8;

  static ListenerRegistry& Instance();

  // Throws std::length_error when all slots are taken.
  void Add(EventListener* listener);
  void Remove(EventListener* listener);

  template <class Fn>
  void ForEach(Fn&& fn) {
    // Every hook runs this: only the slots ever used, not all kMaxListeners.
    const std::size_t used = used_.load(std::memory_order_acquire);
    for (std::size_t i = 0; i < used; ++i) {
      if (EventListener* l = slots_[i].load(std::memory_order_acquire)) fn(*l);
    }
  }

 private:
  std::array<std::atomic<EventListener*>, kMaxListeners> slots_{};
  // One past the highest slot ever filled; only grows (a removed listener leaves a null slot).
  std::atomic<std::size_t> used_{0};
};

// Adds a listener for the lifetime of the object (tests, detectors).
class ScopedListener {
 public:
  explicit ScopedListener(EventListener& listener) : listener_(listener) {
    ListenerRegistry::Instance().Add(&listener_);
  }
  ~ScopedListener() { ListenerRegistry::Instance().Remove(&listener_); }
  ScopedListener(const ScopedListener&) = delete;
  ScopedListener& operator=(const ScopedListener&) = delete;

 private:
  EventListener& listener_;
};

}  // namespace racelens::detail
