// report/ids.hpp — the stable string ids of report kinds and access types.
//
// KindId (report.hpp) names a Kind; this file adds the list of every kind,
// the reverse lookup, and the same pair for AccessType. The ids are part of
// the JSON and SARIF formats and of suppressions files: never rename one.
//
//   AccessType  kRead "read", kWrite "write", kEventSet "event-set",
//               kEventClear "event-clear", kLockAcquire "lock-acquire",
//               kBlockingCall "blocking-call", kMisuseCall "misuse-call"
//
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "report/report.hpp"

namespace racelens::report {

// Every Kind, in declaration order. Extend it with the enum.
inline constexpr std::array<Kind, 5> kAllKinds = {
    Kind::kDataRace, Kind::kEventRace, Kind::kLockOrderInversion, Kind::kDeadlock, Kind::kMisuse};

// The Kind whose KindId is `id`; nullopt for anything else.
std::optional<Kind> KindFromId(std::string_view id);

// "data-race, event-race, lock-order-inversion, deadlock, misuse" (for error messages).
std::string_view KindIdList();

std::string_view AccessTypeId(AccessType type);
// The AccessType whose AccessTypeId is `id`; nullopt for anything else.
std::optional<AccessType> AccessTypeFromId(std::string_view id);

}  // namespace racelens::report
