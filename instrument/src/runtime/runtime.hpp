// runtime/runtime.hpp — runtime start-up.
//
// InitRuntime() reads RACELENS_OPTIONS, applies them, and registers the main
// thread. It runs once, from a static initializer of the hooks (so that any
// program using a racelens primitive runs it before main). A bad option
// prints the error and exits with status 2.
#pragma once

namespace racelens::detail {

bool InitRuntime();

}  // namespace racelens::detail
