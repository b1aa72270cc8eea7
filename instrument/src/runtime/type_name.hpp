// runtime/type_name.hpp — readable C++ type names for messages.
//
// Thread-safety: thread-safe.
#pragma once

#include <string>
#include <typeinfo>

namespace racelens::detail {

// The demangled name of `type` ("racelens::ValueError"), or its mangled name
// when demangling fails.
std::string TypeName(const std::type_info& type);

}  // namespace racelens::detail
