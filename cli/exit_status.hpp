// The racelens command's exit statuses (DESIGN.md § The command line).
#pragma once

namespace racelens::cli {

enum ExitStatus : int {
  kClean = 0,
  kInternalError = 1,
  kDiverged = 1,  // `replay`: the replay's reports differ from the original run's
  kUsageError = 2,
  kFindings = 66,
};

}  // namespace racelens::cli
