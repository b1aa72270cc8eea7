#include "detect/happens_before.hpp"

namespace racelens::detect {

VectorClock FirstClock(ThreadId thread) {
  VectorClock clock;
  clock.Set(thread, 1);
  return clock;
}

void StartChild(ThreadId parent, VectorClock& parent_clock, VectorClock& child_clock) {
  child_clock.Join(parent_clock);
  parent_clock.Tick(parent);
}

void JoinChild(VectorClock& joiner_clock, const VectorClock& child_clock) {
  joiner_clock.Join(child_clock);
}

void ReleaseInto(ThreadId thread, VectorClock& own, VectorClock& sync) {
  sync.Join(own);
  own.Tick(thread);
}

void AcquireFrom(VectorClock& own, const VectorClock& sync) { own.Join(sync); }

VectorClock& HappensBefore::Mutable(ThreadId thread) {
  auto [it, inserted] = clocks_.try_emplace(thread);
  if (inserted) it->second = FirstClock(thread);
  return it->second;
}

const VectorClock& HappensBefore::ClockOf(ThreadId thread) { return Mutable(thread); }

void HappensBefore::ThreadCreated(ThreadId parent, ThreadId child) {
  VectorClock& c = Mutable(child);  // first: inserting may rehash, references stay valid
  StartChild(parent, Mutable(parent), c);
}

void HappensBefore::ThreadJoined(ThreadId joiner, ThreadId child) {
  const VectorClock finished = Mutable(child);  // copy: Mutable(joiner) may insert
  JoinChild(Mutable(joiner), finished);
}

void HappensBefore::Release(ThreadId thread, VectorClock& sync) {
  ReleaseInto(thread, Mutable(thread), sync);
}

void HappensBefore::Acquire(ThreadId thread, const VectorClock& sync) {
  AcquireFrom(Mutable(thread), sync);
}

}  // namespace racelens::detect
