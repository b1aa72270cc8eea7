// report/dedup.hpp — one report per bug: deduplication keys and a filter.
//
// Two reports are duplicates when they have the same kind and the same
// sites, where a site is frame 0 of a stack as "file:line" (the function,
// or the pc, when the file is unknown):
//
//   data-race, event-race, deadlock, misuse   one site per access
//   lock-order-inversion                      one site per edge, "outer>inner"
//                                             (where the held lock was taken >
//                                             where the second lock was taken)
//
// Sites are sorted, so the key does not depend on the order of the accesses
// (W/R and R/W of one pair are one race) or on where a cycle starts.
// Key: "<kind-id>|<site>|<site>..." e.g.
// "data-race|samples/nolock_counter.cpp:16|samples/nolock_counter.cpp:18".
//
// Thread-safety: DedupKey is pure; ReportDeduplicator is thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <unordered_set>

#include "report/report.hpp"

namespace racelens::report {

std::string DedupKey(const Report& report);

class ReportDeduplicator {
 public:
  // Records the report's key. Returns true the first time the key is seen,
  // false for every later report with the same key.
  bool Add(const Report& report);

  // How many distinct keys have been seen.
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_set<std::string> seen_;
};

}  // namespace racelens::report
