#include "racelens/random.hpp"

#include <optional>

#include "primitives/random_stream.hpp"
#include "racelens/errors.hpp"
#include "runtime/runtime.hpp"
#include "runtime/thread_registry.hpp"

namespace racelens {
namespace {

detail::RandomStream& Stream() {
  thread_local std::optional<detail::RandomStream> stream;
  if (!stream) {
    const std::uint64_t seed = detail::RandomSeed();  // starts the runtime first
    stream.emplace(seed,
                   static_cast<std::uint64_t>(detail::ThreadRegistry::Instance().Current().id));
  }
  return *stream;
}

}  // namespace

namespace detail {

std::uint64_t RandomBelow(std::uint64_t span) { return Stream().Below(span); }

void ThrowEmptyRange(const std::string& start, const std::string& stop) {
  throw ValueError("empty range in randrange(" + start + ", " + stop + ")");
}

}  // namespace detail

double random() { return Stream().UnitDouble(); }

double uniform(double a, double b) { return a + (b - a) * random(); }

}  // namespace racelens
