// runtime/runtime.hpp — runtime start-up.
//
// EnsureRuntime() reads RACELENS_OPTIONS, applies them, registers the main
// thread and, with detect=1, attaches the detector — once. It runs from a
// static initializer of the hooks and from the first hook, whichever comes
// first, so a program's own static primitives (built before the runtime's
// initializer in static-initialisation order) are already seen by the
// detector. A bad option prints the error and exits with status 2.
#pragma once

#include <cstdint>

namespace racelens::detail {

class Detector;
class ReportSink;

bool EnsureRuntime();

// The detector and the report sink; null with detect=0.
Detector* RuntimeDetector();
ReportSink* RuntimeSink();
// `exitcode` when this process reported a finding (and exitcode is not 0), else 0.
int FindingsExitStatus();
// The seed of racelens::random(): RACELENS_OPTIONS' `seed`, else drawn from
// std::random_device on the first call. The same for the whole run (and in
// forked children); thread-safe.
std::uint64_t RandomSeed();

}  // namespace racelens::detail
