#include "schedule/strategy.hpp"

namespace racelens::schedule {
namespace {

std::uint64_t SplitMix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t Rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

}  // namespace

Xoshiro256::Xoshiro256(std::uint64_t seed) noexcept {
  for (std::uint64_t& s : s_) s = SplitMix64(seed);
}

std::uint64_t Xoshiro256::Next() noexcept {
  const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

std::uint64_t Xoshiro256::Below(std::uint64_t n) noexcept {
  unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(Next()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::size_t RandomStrategy::Pick(std::span<const int> candidates, std::uint64_t) {
  // The candidates not lowered, by index; a lowered candidate is skipped once.
  std::vector<std::size_t> eligible;
  eligible.reserve(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (!lowered_.contains(candidates[i])) eligible.push_back(i);
  }
  if (!lowered_.empty()) {
    for (const int id : candidates) lowered_.erase(id);
  }
  if (eligible.empty()) return static_cast<std::size_t>(rng_.Below(candidates.size()));
  if (eligible.size() == 1) return eligible.front();
  return eligible[static_cast<std::size_t>(rng_.Below(eligible.size()))];
}

}  // namespace racelens::schedule
