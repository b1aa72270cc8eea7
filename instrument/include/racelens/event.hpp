// racelens/event.hpp — threading.Event.
//
//   is_set()           the flag
//   set()              set the flag and wake every waiter
//   clear()            reset the flag
//   wait(timeout=-1)   block until the flag is set or the timeout passes;
//                      true when the flag was set or a set() happened during
//                      the wait (even if cleared again before the waiter woke,
//                      as CPython); false on timeout
//
// Caution, as Python's documentation warns: the "wait(); clear()" consumer
// loses a set() that lands between the two calls. The detector reports that
// pattern as an `event-race`; prefer a Queue or a Condition with a predicate.
//
// Thread-safety: all members are thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "racelens/detail/futex.hpp"
#include "racelens/detail/hooks.hpp"

namespace racelens {

class Event {
 public:
  explicit Event(std::string_view name = {});
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event();

  bool is_set() const;
  void set();
  void clear();
  bool wait(double timeout = -1);

  const std::string& name() const noexcept { return name_; }

 private:
  mutable std::mutex mutex_;
  detail::CondVar cv_;
  bool flag_ = false;
  std::uint64_t generation_ = 0;  // counts set() calls
  mutable detail::SyncClock clock_;
  std::string name_;
};

}  // namespace racelens
