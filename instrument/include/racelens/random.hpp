// racelens/random.hpp — the part of Python's `random` module concurrent programs use.
//
//   random()         a double in [0.0, 1.0)
//   randint(a, b)    an integer N of the type of a and b with a <= N <= b, every
//                    value equally likely; ValueError("empty range in
//                    randrange(a, b+1)") when a > b
//   uniform(a, b)    a double between a and b: a + (b - a) * random(), as Python
//                    computes it (b itself may come out through rounding)
//
// Unlike Python's module, each thread draws from a stream of its own, fixed by
// the run's seed, the thread's racelens id (T<n>: ids follow thread creation
// order) and how many numbers the thread drew before. A program that creates
// its threads in the same order and runs with the same seed draws the same
// numbers in every thread, however the threads interleave. The seed is the
// `seed` of RACELENS_OPTIONS (docs/options.md), else drawn once per run from
// std::random_device.
//
// The generator is racelens' own (SplitMix64) and so are the conversions to
// ranges: the numbers do not depend on the standard library. Not for
// cryptography.
//
// Thread-safety: all functions are thread-safe; threads never share a stream.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <type_traits>

namespace racelens {

namespace detail {
// Uniform in [0, span) from the calling thread's stream; span 0 stands for 2^64.
std::uint64_t RandomBelow(std::uint64_t span);
[[noreturn]] void ThrowEmptyRange(const std::string& start, const std::string& stop);
}  // namespace detail

double random();

template <std::integral T>
  requires(!std::same_as<T, bool>)
T randint(T a, T b) {
  if (a > b) detail::ThrowEmptyRange(std::to_string(a), std::to_string(b + 1));
  using U = std::make_unsigned_t<T>;
  // b - a + 1 in T's width, then widened: 0 (2^64) only for the whole range of a 64-bit T.
  const std::uint64_t span =
      std::uint64_t{static_cast<U>(static_cast<U>(b) - static_cast<U>(a))} + 1;
  return static_cast<T>(
      static_cast<U>(static_cast<U>(a) + static_cast<U>(detail::RandomBelow(span))));
}

double uniform(double a, double b);

}  // namespace racelens
