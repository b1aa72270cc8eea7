#include "runtime/options.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

namespace racelens::detail {
namespace {

// DESIGN.md § Options, in its order.
constexpr std::array<std::string_view, 12> kKeys = {
    "detect",   "report_path", "format",    "halt_on_error", "exitcode",     "deadlock_timeout",
    "schedule", "seed",        "pct_depth", "pct_steps",     "suppressions", "history"};

std::string KeyList() {
  std::string out;
  for (const auto& k : kKeys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

[[noreturn]] void Bad(std::string_view key, std::string_view value, std::string_view allowed) {
  throw OptionsError("racelens: option '" + std::string(key) + "' must be " + std::string(allowed) +
                     ", not '" + std::string(value) + "'; fix RACELENS_OPTIONS.");
}

bool ParseBool(std::string_view key, std::string_view value) {
  if (value == "0") return false;
  if (value == "1") return true;
  Bad(key, value, "0 or 1");
}

long ParseInt(std::string_view key, std::string_view value, long low, long high) {
  long result = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), result);
  if (ec != std::errc() || end != value.data() + value.size() || result < low || result > high) {
    Bad(key, value, "an integer from " + std::to_string(low) + " to " + std::to_string(high));
  }
  return result;
}

std::uint64_t ParseSeed(std::string_view key, std::string_view value) {
  std::uint64_t result = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), result);
  if (ec != std::errc() || end != value.data() + value.size()) {
    Bad(key, value, "an integer from 0 to 18446744073709551615");
  }
  return result;
}

double ParsePositiveSeconds(std::string_view key, std::string_view value) {
  double result = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), result);
  if (ec != std::errc() || end != value.data() + value.size() || !(result > 0) ||
      !std::isfinite(result)) {
    Bad(key, value, "a positive number of seconds");
  }
  return result;
}

}  // namespace

Options ParseOptions(std::string_view text) {
  Options options;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find(':', pos), text.size());
    const std::string_view pair = text.substr(pos, end - pos);
    pos = end + 1;
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      throw OptionsError("racelens: RACELENS_OPTIONS entry '" + std::string(pair) +
                         "' is not of the form key=value; separate entries with ':'.");
    }
    const std::string_view key = pair.substr(0, eq);
    const std::string_view value = pair.substr(eq + 1);
    if (key == "detect") {
      options.detect = ParseBool(key, value);
    } else if (key == "report_path") {
      options.report_path = value;
    } else if (key == "format") {
      if (value == "text") {
        options.format = ReportFormat::kText;
      } else if (value == "json") {
        options.format = ReportFormat::kJson;
      } else {
        Bad(key, value, "one of text, json");
      }
    } else if (key == "halt_on_error") {
      options.halt_on_error = ParseBool(key, value);
    } else if (key == "exitcode") {
      options.exitcode = static_cast<int>(ParseInt(key, value, 0, 255));
    } else if (key == "deadlock_timeout") {
      options.deadlock_timeout = ParsePositiveSeconds(key, value);
    } else if (key == "schedule") {
      if (value != "os" && value != "random" && value != "pct") {
        Bad(key, value, "one of os, random, pct");
      }
      options.schedule = value;
    } else if (key == "seed") {
      options.seed = ParseSeed(key, value);
    } else if (key == "pct_depth") {
      options.pct_depth = static_cast<int>(ParseInt(key, value, 1, 10));
    } else if (key == "pct_steps") {
      options.pct_steps = ParseInt(key, value, 1, 1000000000);
    } else if (key == "suppressions") {
      options.suppressions = value;
    } else if (key == "history") {
      options.history = static_cast<int>(ParseInt(key, value, 0, 1000));
    } else {
      throw OptionsError("racelens: unknown option '" + std::string(key) +
                         "' in RACELENS_OPTIONS; the options are " + KeyList() + ".");
    }
  }
  return options;
}

}  // namespace racelens::detail
