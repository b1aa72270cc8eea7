// runtime/options.hpp — RACELENS_OPTIONS: parsing and validation.
//
// The text is "key=value:key=value". Every key of DESIGN.md § Options is
// known. A key this version does not act on yet is rejected with a message
// saying so, rather than silently ignored; so are unknown keys, malformed
// pairs and bad values. Each error message names the key and what it accepts.
//
// Thread-safety: ParseOptions is a pure function.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace racelens::detail {

struct Options {
  bool detect = true;
};

class OptionsError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Throws OptionsError with a complete sentence for the user.
Options ParseOptions(std::string_view text);

}  // namespace racelens::detail
