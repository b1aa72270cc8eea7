#include "detect/location_shadow.hpp"

#include <algorithm>

namespace racelens::detect {

std::optional<DataRace> LocationShadow::OnAccess(std::uintptr_t address, ThreadId thread,
                                                 const VectorClock& clock, bool is_write,
                                                 std::uint32_t stack, std::uint32_t ordinal,
                                                 std::size_t history) {
  const MemoryAccess now{address, clock.EpochOf(thread), is_write, stack, ordinal};
  if (is_write && OnlyAnOrderedWrite(thread, clock)) {  // what the general path below does then
    write_ = now;
    return std::nullopt;
  }
  std::optional<DataRace> race;

  const auto unordered = [&](const MemoryAccess& a) {
    return a.epoch.thread != thread && !clock.Covers(a.epoch);
  };
  // A write by another thread that this thread has not synchronised with.
  if (write_.epoch.clock != 0 && unordered(write_)) race = DataRace{now, write_};
  // Earlier accesses that raced: a write conflicts with anything, a read with a write.
  for (const MemoryAccess& e : earlier_) {
    if (!race && (is_write || e.is_write) && unordered(e)) race = DataRace{now, e};
  }
  if (is_write) {
    // Every unordered read of another thread conflicts with this write.
    for (const MemoryAccess& r : reads_) {
      if (!race && unordered(r)) race = DataRace{now, r};
    }
    if (history > 1) KeepUnordered(thread, clock, history);
    write_ = now;
    reads_.clear();
  } else {
    // Reads ordered before this one can go; keep concurrent reads of other threads.
    std::erase_if(reads_, [&](const MemoryAccess& r) { return !unordered(r); });
    reads_.push_back(now);
  }
  return race;
}

// OnAccess(read) then OnAccess(write), folded: the read's own entry in the read set
// is ordered before the write (same thread), so the write never races with it, never
// keeps it as an earlier access, and clears it. What the read's check erased from the
// read set (reads ordered before it) the write would have ignored and cleared too.
UpdateRaces LocationShadow::OnUpdate(std::uintptr_t address, ThreadId thread,
                                     const VectorClock& clock, std::uint32_t stack,
                                     std::uint32_t ordinal, std::size_t history) {
  const Epoch epoch = clock.EpochOf(thread);
  const MemoryAccess write{address, epoch, true, stack, ordinal};
  if (OnlyAnOrderedWrite(thread, clock)) {  // what the general path below does then
    write_ = write;
    return {};
  }
  const MemoryAccess read{address, epoch, false, stack, ordinal};
  UpdateRaces races;
  const auto unordered = [&](const MemoryAccess& a) {
    return a.epoch.thread != thread && !clock.Covers(a.epoch);
  };
  if (write_.epoch.clock != 0 && unordered(write_)) {
    races.read = DataRace{read, write_};
    races.write = DataRace{write, write_};
  }
  for (const MemoryAccess& e : earlier_) {
    if (!unordered(e)) continue;
    if (!races.read && e.is_write) races.read = DataRace{read, e};
    if (!races.write) races.write = DataRace{write, e};
  }
  for (const MemoryAccess& r : reads_) {
    if (!races.write && unordered(r)) races.write = DataRace{write, r};
  }
  if (history > 1) KeepUnordered(thread, clock, history);
  write_ = write;
  reads_.clear();
  return races;
}

bool LocationShadow::OnlyAnOrderedWrite(ThreadId thread, const VectorClock& clock) const {
  return reads_.empty() && earlier_.empty() &&
         (write_.epoch.clock == 0 || write_.epoch.thread == thread || clock.Covers(write_.epoch));
}

void LocationShadow::KeepUnordered(ThreadId thread, const VectorClock& clock, std::size_t history) {
  const auto ordered = [&](const MemoryAccess& a) {
    return a.epoch.thread == thread || clock.Covers(a.epoch);
  };
  std::erase_if(earlier_, ordered);
  if (write_.epoch.clock != 0 && !ordered(write_)) earlier_.push_back(write_);
  for (const MemoryAccess& r : reads_) {
    if (!ordered(r)) earlier_.push_back(r);
  }
  if (earlier_.size() > history - 1) {  // keep the newest
    earlier_.erase(earlier_.begin(), earlier_.end() - static_cast<std::ptrdiff_t>(history - 1));
  }
}

}  // namespace racelens::detect
