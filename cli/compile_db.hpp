// The source files of a compilation database (compile_commands.json), absolute and in order,
// each once. Throws std::runtime_error with a complete sentence when the file is missing or
// malformed.
#pragma once

#include <string>
#include <vector>

namespace racelens::cli {

std::vector<std::string> CompileDbFiles(const std::string& build_dir);

}  // namespace racelens::cli
