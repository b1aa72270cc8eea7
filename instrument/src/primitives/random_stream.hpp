// primitives/random_stream.hpp — the numbers behind racelens::random().
//
// A RandomStream is SplitMix64 (Steele, Lea, Flood 2014; the seeding generator
// of xoshiro) started at a point derived from a seed and a thread id: draw n
// is Mix(start + n * kGamma). Different (seed, thread) pairs start at
// unrelated points of the 2^64-long sequence. The range conversions are
// exact and portable (no <random> distributions): UnitDouble takes the top 53
// bits, Below rejects the few draws that would bias the remainder.
//
// Thread-safety: a plain value; racelens::random() keeps one per thread.
#pragma once

#include <cstdint>

namespace racelens::detail {

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint64_t thread) noexcept
      : state_(Mix(seed ^ Mix(thread + kGamma))) {}

  std::uint64_t Next() noexcept { return Mix(state_ += kGamma); }

  // In [0, 1), a multiple of 2^-53.
  double UnitDouble() noexcept { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Uniform in [0, bound); bound 0 stands for 2^64.
  std::uint64_t Below(std::uint64_t bound) noexcept {
    if (bound == 0) return Next();
    const std::uint64_t threshold = -bound % bound;  // 2^64 mod bound
    std::uint64_t x = Next();
    while (x < threshold) x = Next();
    return x % bound;
  }

 private:
  static constexpr std::uint64_t kGamma = 0x9e3779b97f4a7c15ULL;

  static std::uint64_t Mix(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::uint64_t state_;
};

}  // namespace racelens::detail
