// runtime/options.hpp — RACELENS_OPTIONS: parsing and validation.
//
// The text is "key=value:key=value" with the keys of DESIGN.md § Options.
// Unknown keys, malformed pairs and bad values are errors, never ignored;
// each error message names the key and what it accepts. `schedule` is os,
// random or pct; `pct_depth` (1..10) and `pct_steps` (1..1000000000) shape
// pct. `seed` seeds the schedule and racelens::random().
//
// Thread-safety: ParseOptions is a pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace racelens::detail {

enum class ReportFormat { kText, kJson };

struct Options {
  bool detect = true;
  std::string report_path;  // empty: stderr; else a directory that gets <pid>.jsonl
  ReportFormat format = ReportFormat::kText;
  bool halt_on_error = false;
  int exitcode = 66;
  double deadlock_timeout = 5.0;  // seconds
  std::string schedule = "os";
  std::optional<std::uint64_t> seed;  // none: drawn from std::random_device
  int pct_depth = 3;                  // schedule=pct: change points + 1
  long pct_steps = 100;               // schedule=pct: change points fall in [1, pct_steps]
  std::string suppressions;           // a file path; empty: none
  int history = 4;                    // earlier accesses kept per location
};

class OptionsError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Throws OptionsError with a complete sentence for the user.
Options ParseOptions(std::string_view text);

}  // namespace racelens::detail
