// Diagnostic: one clang-tidy warning with its notes, as parsed from clang-tidy's output.
#pragma once

#include <string>
#include <vector>

namespace racelens::cli {

struct SourcePoint {
  std::string file;
  int line = 0;
  int column = 0;
};

struct Note {
  SourcePoint where;
  std::string message;
};

struct Diagnostic {
  SourcePoint where;
  std::string message;
  std::string check;  // e.g. racelens-unguarded-shared-write
  std::vector<Note> notes;
};

}  // namespace racelens::cli
