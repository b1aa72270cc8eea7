#include "runtime/options.hpp"

#include <array>
#include <string>

namespace racelens::detail {
namespace {

struct KnownKey {
  std::string_view name;
  bool implemented;
};

// DESIGN.md § Options, in its order.
constexpr std::array<KnownKey, 11> kKnownKeys = {{
    {"detect", true},
    {"report_path", false},
    {"format", false},
    {"halt_on_error", false},
    {"exitcode", false},
    {"deadlock_timeout", false},
    {"schedule", false},
    {"seed", false},
    {"pct_depth", false},
    {"suppressions", false},
    {"history", false},
}};

std::string KeyList() {
  std::string out;
  for (const auto& k : kKnownKeys) {
    if (!out.empty()) out += ", ";
    out += k.name;
  }
  return out;
}

bool ParseBool(std::string_view key, std::string_view value) {
  if (value == "0") return false;
  if (value == "1") return true;
  throw OptionsError("racelens: option '" + std::string(key) + "' must be 0 or 1, not '" +
                     std::string(value) + "'; fix RACELENS_OPTIONS.");
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
    const KnownKey* known = nullptr;
    for (const auto& k : kKnownKeys) {
      if (k.name == key) known = &k;
    }
    if (known == nullptr) {
      throw OptionsError("racelens: unknown option '" + std::string(key) +
                         "' in RACELENS_OPTIONS; the options are " + KeyList() + ".");
    }
    if (!known->implemented) {
      throw OptionsError("racelens: option '" + std::string(key) +
                         "' is not supported by this version of the runtime yet; remove it "
                         "from RACELENS_OPTIONS.");
    }
    if (key == "detect") options.detect = ParseBool(key, value);
  }
  return options;
}

}  // namespace racelens::detail
