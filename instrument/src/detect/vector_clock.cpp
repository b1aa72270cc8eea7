#include "detect/vector_clock.hpp"

#include <algorithm>

namespace racelens::detect {

void VectorClock::Set(ThreadId thread, Time time) {
  const auto i = static_cast<std::size_t>(thread);
  if (i >= times_.size()) times_.resize(i + 1, 0);
  times_[i] = time;
}

void VectorClock::Join(const VectorClock& other) {
  if (other.times_.size() > times_.size()) times_.resize(other.times_.size(), 0);
  for (std::size_t i = 0; i < other.times_.size(); ++i) {
    times_[i] = std::max(times_[i], other.times_[i]);
  }
}

bool VectorClock::LessOrEqual(const VectorClock& other) const {
  for (std::size_t i = 0; i < times_.size(); ++i) {
    if (times_[i] > other.Get(static_cast<ThreadId>(i))) return false;
  }
  return true;
}

std::string VectorClock::ToString() const {
  std::string out = "[";
  for (std::size_t i = 0; i < times_.size(); ++i) {
    if (i > 0) out += ",";
    out += std::to_string(times_[i]);
  }
  return out + "]";
}

}  // namespace racelens::detect
