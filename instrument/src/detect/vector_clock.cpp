#include "detect/vector_clock.hpp"

#include <algorithm>
#include <utility>

namespace racelens::detect {

VectorClock& VectorClock::operator=(VectorClock&& other) noexcept {
  if (this != &other) {
    FreeHeap();
    data_ = inline_;
    capacity_ = kInline;
    size_ = 0;
    TakeFrom(other);
  }
  return *this;
}

void VectorClock::Assign(const VectorClock& other) {
  Reserve(other.size_);
  std::copy(other.data_, other.data_ + other.size_, data_);
  size_ = other.size_;
}

void VectorClock::TakeFrom(VectorClock& other) noexcept {
  if (other.data_ == other.inline_) {
    std::copy(other.inline_, other.inline_ + other.size_, inline_);
  } else {
    data_ = std::exchange(other.data_, other.inline_);
    capacity_ = std::exchange(other.capacity_, kInline);
  }
  size_ = std::exchange(other.size_, 0);
}

void VectorClock::Reserve(std::size_t capacity) {
  if (capacity <= capacity_) return;
  const std::size_t grown = std::max<std::size_t>(capacity, std::size_t{capacity_} * 2);
  Time* data = new Time[grown];
  std::copy(data_, data_ + size_, data);
  FreeHeap();
  data_ = data;
  capacity_ = static_cast<std::uint32_t>(grown);
}

void VectorClock::Grow(std::size_t size) {
  Reserve(size);
  std::fill(data_ + size_, data_ + size, Time{0});
  size_ = static_cast<std::uint32_t>(size);
}

void VectorClock::Set(ThreadId thread, Time time) {
  const auto i = static_cast<std::size_t>(thread);
  if (i >= size_) Grow(i + 1);
  data_[i] = time;
}

void VectorClock::Join(const VectorClock& other) {
  if (other.size_ > size_) Grow(other.size_);
  for (std::size_t i = 0; i < other.size_; ++i) data_[i] = std::max(data_[i], other.data_[i]);
}

bool VectorClock::LessOrEqual(const VectorClock& other) const {
  for (std::size_t i = 0; i < size_; ++i) {
    if (data_[i] > other.Get(static_cast<ThreadId>(i))) return false;
  }
  return true;
}

std::string VectorClock::ToString() const {
  std::string out = "[";
  for (std::size_t i = 0; i < size_; ++i) {
    if (i > 0) out += ",";
    out += std::to_string(data_[i]);
  }
  return out + "]";
}

}  // namespace racelens::detect
