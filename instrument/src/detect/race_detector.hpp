// detect/race_detector.hpp — data races on tracked memory, by address.
//
// Keeps a LocationShadow (location_shadow.hpp: FastTrack-style state with an
// optional history of raced accesses) per 8-byte granule of the memory it is
// told about, found by address. The runtime uses it for RACELENS_READ and
// RACELENS_WRITE; a Shared<T> carries its own LocationShadow instead.
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

#include "detect/location_shadow.hpp"
#include "detect/vector_clock.hpp"

namespace racelens::detect {

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
  std::size_t TrackedGranules() const { return shadow_.size(); }

 private:
  // The granule's state; the last one looked up is remembered (a compound
  // assignment checks its read and its write, and loops touch one variable).
  LocationShadow& ShadowOf(std::uintptr_t granule);

  std::size_t history_;
  std::unordered_map<std::uintptr_t, LocationShadow> shadow_;  // references stay valid until erased
  std::uintptr_t last_granule_ = 0;
  LocationShadow* last_shadow_ = nullptr;
};

}  // namespace racelens::detect
