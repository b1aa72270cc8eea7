// The checker's findings as a SARIF 2.1.0 log: one run, one rule per racelens check, one result
// per warning with its notes as related locations.
#pragma once

#include <string>
#include <vector>

#include "diagnostic.hpp"

namespace racelens::cli {

std::string CheckSarif(const std::vector<Diagnostic>& diagnostics);

}  // namespace racelens::cli
