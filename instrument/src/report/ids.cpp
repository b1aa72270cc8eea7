#include "report/ids.hpp"

namespace racelens::report {
namespace {

constexpr std::array<AccessType, 7> kAllAccessTypes = {
    AccessType::kRead,       AccessType::kWrite,       AccessType::kEventSet,
    AccessType::kEventClear, AccessType::kLockAcquire, AccessType::kBlockingCall,
    AccessType::kMisuseCall};

}  // namespace

std::optional<Kind> KindFromId(std::string_view id) {
  for (Kind kind : kAllKinds) {
    if (KindId(kind) == id) return kind;
  }
  return std::nullopt;
}

std::string_view KindIdList() {
  return "data-race, event-race, lock-order-inversion, deadlock, misuse";
}

std::string_view AccessTypeId(AccessType type) {
  switch (type) {
    case AccessType::kRead:
      return "read";
    case AccessType::kWrite:
      return "write";
    case AccessType::kEventSet:
      return "event-set";
    case AccessType::kEventClear:
      return "event-clear";
    case AccessType::kLockAcquire:
      return "lock-acquire";
    case AccessType::kBlockingCall:
      return "blocking-call";
    case AccessType::kMisuseCall:
      return "misuse-call";
  }
  return "unknown";
}

std::optional<AccessType> AccessTypeFromId(std::string_view id) {
  for (AccessType type : kAllAccessTypes) {
    if (AccessTypeId(type) == id) return type;
  }
  return std::nullopt;
}

}  // namespace racelens::report
