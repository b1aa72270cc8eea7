// detect/location_shadow.hpp — the race state of one memory location, FastTrack-style.
//
// A LocationShadow keeps a location's last write (its epoch) and the reads not yet
// ordered before a later write (one entry per thread, the "read set";
// FastTrack's epoch/vector-clock adaptivity collapses to this representation).
// An access races with a recorded access of another thread when the recorded
// epoch is not covered by the accessing thread's clock and at least one of the
// two is a write. Each access reports at most one race.
//
// History: FastTrack forgets the last write once another write replaces it,
// even when the two raced, so a third thread's access that follows the newer
// write but not the older one goes unreported. With a history of N, a location
// also keeps up to N - 1 earlier accesses that the newest write is not ordered
// after (accesses that raced), and later accesses are checked against them too
// — as ThreadSanitizer keeps several shadow cells per granule. History 1 is
// plain FastTrack. Each write drops the earlier accesses it is ordered after, so
// a race-free location never keeps any.
//
// RaceDetector keeps one per 8-byte granule of the memory it is told about; the
// runtime keeps one inside each Shared<T> (the whole value is one location: every
// access to it covers all of it), next to the value, so that checking an access
// touches no shared table.
//
// Thread-safety: none; the caller serialises calls on one shadow.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "detect/vector_clock.hpp"

namespace racelens::detect {

struct MemoryAccess {
  std::uintptr_t address = 0;  // of the location (RaceDetector: of the granule)
  Epoch epoch;
  bool is_write = false;
  std::uint32_t stack = 0;
  std::uint32_t ordinal = 0;
  friend bool operator==(const MemoryAccess&, const MemoryAccess&) = default;
};

struct DataRace {
  MemoryAccess current;
  MemoryAccess previous;
  friend bool operator==(const DataRace&, const DataRace&) = default;
};

// What a read-modify-write (OnUpdate) found: the first race of its read and the
// first of its write, as a read followed at once by a write would report them.
struct UpdateRaces {
  std::optional<DataRace> read;
  std::optional<DataRace> write;
};

class LocationShadow {
 public:
  // Records an access at `address` by `thread` with current clock `clock`
  // (its ordinal: the runtime's count of the thread's recorded events, which
  // places the access in a report's timeline); returns the first race it finds.
  // `history` is the number of accesses kept besides the readers (at least 1).
  std::optional<DataRace> OnAccess(std::uintptr_t address, ThreadId thread,
                                   const VectorClock& clock, bool is_write, std::uint32_t stack,
                                   std::uint32_t ordinal, std::size_t history);
  // Records a read by `thread` followed at once by its write (`counter += 1`):
  // the same races and the same state as OnAccess for the read and then for the
  // write, without recording the read (the write replaces it).
  UpdateRaces OnUpdate(std::uintptr_t address, ThreadId thread, const VectorClock& clock,
                       std::uint32_t stack, std::uint32_t ordinal, std::size_t history);

 private:
  // Whether the location holds no reads, no earlier accesses and at most a write that
  // `thread` is ordered after: the common case (a location used under a lock), in which a
  // write by `thread` finds no race and only replaces the last write.
  bool OnlyAnOrderedWrite(ThreadId thread, const VectorClock& clock) const;
  // Keeps the accesses the new write by `thread` is not ordered after.
  void KeepUnordered(ThreadId thread, const VectorClock& clock, std::size_t history);

  MemoryAccess write_;                 // write_.epoch.clock == 0: none yet
  std::vector<MemoryAccess> reads_;    // at most one per thread
  std::vector<MemoryAccess> earlier_;  // raced with a later write; oldest first
};

}  // namespace racelens::detect
