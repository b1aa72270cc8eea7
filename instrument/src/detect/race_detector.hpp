// detect/race_detector.hpp — data races on tracked memory, FastTrack-style.
//
// Per memory granule (8 bytes) the detector keeps the last write's epoch and
// the reads not yet ordered before a later write (one entry per thread, the
// "read set"; FastTrack's epoch/vector-clock adaptivity collapses to this
// representation). An access races with a recorded access of another thread
// when the recorded epoch is not covered by the accessing thread's clock and
// at least one of the two is a write. Each access reports at most one race.
//
// History: FastTrack forgets the last write once another write replaces it,
// even when the two raced, so a third thread's access that follows the newer
// write but not the older one goes unreported. With a history of N (the
// `history` option), a granule also keeps up to N - 1 earlier accesses that the
// newest write is not ordered after (accesses that raced), and later accesses
// are checked against them too — as ThreadSanitizer keeps several shadow cells
// per granule. History 1 is plain FastTrack. Each write drops the earlier
// accesses it is ordered after, so a race-free location never keeps any.
//
// Stacks are opaque ids of the runtime's stack depot, carried into the result, as
// is an access's ordinal (the runtime's count of the thread's recorded events when
// the access happened, which places it in a report's timeline).
//
// Thread-safety: none; the runtime serialises calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "detect/vector_clock.hpp"

namespace racelens::detect {

struct MemoryAccess {
  std::uintptr_t address = 0;  // of the granule
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

class RaceDetector {
 public:
  static constexpr std::size_t kGranule = 8;

  // `history`: accesses kept per granule besides the readers (at least 1).
  explicit RaceDetector(std::size_t history = 1) : history_(history < 1 ? 1 : history) {}
  RaceDetector(const RaceDetector&) = delete;
  RaceDetector& operator=(const RaceDetector&) = delete;
  RaceDetector(RaceDetector&&) = default;
  RaceDetector& operator=(RaceDetector&&) = default;

  // Records an access of [address, address + size) by `thread` with current
  // clock `clock`; returns the first race it finds.
  std::optional<DataRace> OnAccess(std::uintptr_t address, std::size_t size, ThreadId thread,
                                   const VectorClock& clock, bool is_write, std::uint32_t stack,
                                   std::uint32_t ordinal = 0);
  // Records a read of [address, address + size) by `thread` followed at once by
  // its write (`counter += 1`): the same races and the same state as OnAccess
  // for the read and then for the write, in one look-up per granule and without
  // recording the read (the write replaces it).
  UpdateRaces OnUpdate(std::uintptr_t address, std::size_t size, ThreadId thread,
                       const VectorClock& clock, std::uint32_t stack, std::uint32_t ordinal = 0);
  // Forgets [address, address + size), e.g. when a Shared<T> is destroyed.
  void Forget(std::uintptr_t address, std::size_t size);
  std::size_t TrackedGranules() const { return shadow_.size(); }

 private:
  struct Shadow {
    MemoryAccess write;                 // write.epoch.clock == 0: none yet
    std::vector<MemoryAccess> reads;    // at most one per thread
    std::vector<MemoryAccess> earlier;  // raced with a later write; oldest first
  };
  // Keeps the accesses the new write by `thread` is not ordered after.
  void KeepUnordered(Shadow& s, ThreadId thread, const VectorClock& clock);

  std::size_t history_;
  std::optional<DataRace> Check(std::uintptr_t granule, ThreadId thread, const VectorClock& clock,
                                bool is_write, std::uint32_t stack, std::uint32_t ordinal);
  UpdateRaces CheckUpdate(std::uintptr_t granule, ThreadId thread, const VectorClock& clock,
                          std::uint32_t stack, std::uint32_t ordinal);

  // The granule's state; the last one looked up is remembered (a compound
  // assignment checks its read and its write, and loops touch one variable).
  Shadow& ShadowOf(std::uintptr_t granule);

  std::unordered_map<std::uintptr_t, Shadow> shadow_;  // references stay valid until erased
  std::uintptr_t last_granule_ = 0;
  Shadow* last_shadow_ = nullptr;
};

}  // namespace racelens::detect
