// detect/vector_clock.hpp — vector clocks and epochs for happens-before.
//
// A VectorClock maps thread ids (the runtime's dense ids, T0, T1, ...) to
// logical times; missing entries are 0. An Epoch is one thread's time
// ("t@c" in FastTrack): an event at epoch e happens before a thread whose
// clock is C iff e.clock <= C[e.thread].
//
// Thread-safety: plain values; callers serialise access.
#pragma once

#include <cstdint>
#include <string>

namespace racelens::detect {

using ThreadId = int;
using Time = std::uint32_t;

struct Epoch {
  ThreadId thread = 0;
  Time clock = 0;  // 0: no event yet
  friend bool operator==(const Epoch&, const Epoch&) = default;
};

class VectorClock {
 public:
  VectorClock() = default;
  VectorClock(const VectorClock& other) { Assign(other); }
  VectorClock& operator=(const VectorClock& other) {
    if (this != &other) Assign(other);
    return *this;
  }
  VectorClock(VectorClock&& other) noexcept { TakeFrom(other); }
  VectorClock& operator=(VectorClock&& other) noexcept;
  ~VectorClock() { FreeHeap(); }

  Time Get(ThreadId thread) const {
    const auto i = static_cast<std::size_t>(thread);
    return i < size_ ? data_[i] : 0;
  }
  void Set(ThreadId thread, Time time);
  // Advances `thread`'s own entry by one.
  void Tick(ThreadId thread) { Set(thread, Get(thread) + 1); }
  // Pointwise maximum with `other`.
  void Join(const VectorClock& other);
  // Whether an event at `epoch` happens before this clock's owner (epoch ⊑ clock).
  bool Covers(const Epoch& epoch) const { return epoch.clock <= Get(epoch.thread); }
  // Whether every entry of this clock is <= the same entry of `other`.
  bool LessOrEqual(const VectorClock& other) const;
  Epoch EpochOf(ThreadId thread) const { return {thread, Get(thread)}; }
  std::string ToString() const;  // "[1,0,3]", for test failure messages

 private:
  // Clocks of programs with up to this many threads need no allocation (a
  // clock travels with every queue item and future).
  static constexpr std::uint32_t kInline = 8;

  void Assign(const VectorClock& other);
  void TakeFrom(VectorClock& other) noexcept;
  void Reserve(std::size_t capacity);
  void Grow(std::size_t size);  // to `size` entries, the new ones 0
  void FreeHeap() noexcept {
    if (data_ != inline_) delete[] data_;
  }

  Time* data_ = inline_;
  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = kInline;
  Time inline_[kInline] = {};
};

}  // namespace racelens::detect
