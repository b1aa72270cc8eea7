#include <algorithm>
#include <atomic>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "racelens/local.hpp"

namespace racelens::detail {
namespace {

// One thread's values, keyed by local<T> key.
struct ThreadSlots {
  std::mutex mutex;
  std::unordered_map<std::uint64_t, std::shared_ptr<void>> values;
};

// Every live thread's slots, so that a dying local<T> can drop its values everywhere.
struct AllSlots {
  std::mutex mutex;
  std::vector<ThreadSlots*> threads;
};

AllSlots& All() {
  static AllSlots* const all = new AllSlots();  // never destroyed: threads may outlive statics
  return *all;
}

// Registers the calling thread's slots on first use and retires them at thread exit.
struct ThreadSlotsOwner {
  ThreadSlots slots;
  bool registered = false;

  ThreadSlots& Get() {
    if (!registered) {
      std::lock_guard lock(All().mutex);
      All().threads.push_back(&slots);
      registered = true;
    }
    return slots;
  }

  ~ThreadSlotsOwner() {
    if (!registered) return;
    {
      std::lock_guard lock(All().mutex);
      auto& v = All().threads;
      v.erase(std::remove(v.begin(), v.end(), &slots), v.end());
    }
    std::unordered_map<std::uint64_t, std::shared_ptr<void>> values;
    {
      std::lock_guard lock(slots.mutex);
      values.swap(slots.values);
    }
    // Destroyed here, outside every lock: a value's destructor may use other locals.
  }
};

thread_local ThreadSlotsOwner t_slots;
std::atomic<std::uint64_t> g_next_key{1};

}  // namespace

std::uint64_t LocalSlots::NewKey() { return g_next_key.fetch_add(1, std::memory_order_relaxed); }

void* LocalSlots::Get(std::uint64_t key, const std::function<std::shared_ptr<void>()>& make) {
  ThreadSlots& slots = t_slots.Get();
  {
    std::lock_guard lock(slots.mutex);
    auto it = slots.values.find(key);
    if (it != slots.values.end()) return it->second.get();
  }
  std::shared_ptr<void> value = make();  // outside the lock: T's constructor may use locals
  std::lock_guard lock(slots.mutex);
  return slots.values.emplace(key, std::move(value)).first->second.get();
}

void LocalSlots::Forget(std::uint64_t key) {
  std::vector<std::shared_ptr<void>> doomed;
  {
    std::lock_guard lock(All().mutex);
    for (ThreadSlots* slots : All().threads) {
      std::lock_guard slot_lock(slots->mutex);
      auto it = slots->values.find(key);
      if (it != slots->values.end()) {
        doomed.push_back(std::move(it->second));
        slots->values.erase(it);
      }
    }
  }
}

}  // namespace racelens::detail
