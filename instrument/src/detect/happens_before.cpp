#include "detect/happens_before.hpp"

namespace racelens::detect {

VectorClock& HappensBefore::Mutable(ThreadId thread) {
  auto [it, inserted] = clocks_.try_emplace(thread);
  if (inserted) it->second.Set(thread, 1);
  return it->second;
}

const VectorClock& HappensBefore::ClockOf(ThreadId thread) { return Mutable(thread); }

void HappensBefore::ThreadCreated(ThreadId parent, ThreadId child) {
  VectorClock& p = Mutable(parent);
  VectorClock& c = Mutable(child);
  c.Join(p);
  p.Tick(parent);
}

void HappensBefore::ThreadJoined(ThreadId joiner, ThreadId child) {
  const VectorClock finished = Mutable(child);  // copy: Mutable(joiner) may rehash
  Mutable(joiner).Join(finished);
}

void HappensBefore::Release(ThreadId thread, VectorClock& sync) {
  VectorClock& t = Mutable(thread);
  sync.Join(t);
  t.Tick(thread);
}

void HappensBefore::Acquire(ThreadId thread, const VectorClock& sync) {
  Mutable(thread).Join(sync);
}

}  // namespace racelens::detect
