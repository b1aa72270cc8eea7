#include "report/dedup.hpp"

#include <algorithm>
#include <vector>

#include "report/labels.hpp"

namespace racelens::report {

std::string DedupKey(const Report& report) {
  std::vector<std::string> sites;
  for (const Access& access : report.accesses) sites.push_back(FrameSite(access.stack));
  for (const LockOrderEdge& edge : report.edges) {
    sites.push_back(FrameSite(edge.from_acquired) + ">" + FrameSite(edge.to_acquired));
  }
  std::sort(sites.begin(), sites.end());
  std::string key(KindId(report.kind));
  for (const std::string& site : sites) key += "|" + site;
  return key;
}

bool ReportDeduplicator::Add(const Report& report) {
  std::string key = DedupKey(report);
  std::lock_guard<std::mutex> lock(mutex_);
  return seen_.insert(std::move(key)).second;
}

std::size_t ReportDeduplicator::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return seen_.size();
}

}  // namespace racelens::report
