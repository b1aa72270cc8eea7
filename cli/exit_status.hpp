// The racelens command's exit statuses (DESIGN.md § The command line).
#pragma once

namespace racelens::cli {

enum ExitStatus : int {
  kClean = 0,
  kInternalError = 1,
  kUsageError = 2,
  kFindings = 66,
};

}  // namespace racelens::cli
