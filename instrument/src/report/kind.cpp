#include "report/report.hpp"

namespace racelens::report {

std::string_view KindId(Kind kind) {
  switch (kind) {
    case Kind::kDataRace:
      return "data-race";
    case Kind::kEventRace:
      return "event-race";
    case Kind::kLockOrderInversion:
      return "lock-order-inversion";
    case Kind::kDeadlock:
      return "deadlock";
    case Kind::kMisuse:
      return "misuse";
  }
  return "unknown";
}

}  // namespace racelens::report
