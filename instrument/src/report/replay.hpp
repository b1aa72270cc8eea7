// report/replay.hpp — the replay command a report prints, and what replay compares.
//
// Under schedule=random and schedule=pct every report carries the command that
// replays its run: `racelens replay --schedule S --seed N [--pct-depth D]
// [--pct-steps K] -- ARGV...`, with ARGV shell-quoted (POSIX sh single quotes where needed), so
// it can be pasted into a shell. `racelens replay` reads the command back
// (SplitShellWords) and compares the replay's reports with the original ones
// after dropping what differs between two runs of the same interleaving
// (ForReplayComparison: the pid).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/report.hpp"

namespace racelens::report {

// `word` as one POSIX shell word: unchanged when it holds only characters no
// shell treats specially, else in single quotes ('\'' for a quote inside).
std::string ShellQuote(std::string_view word);

// The words, each quoted, separated by spaces.
std::string ShellJoin(const std::vector<std::string>& words);

// Splits POSIX shell text into words, undoing single quotes, double quotes and
// backslashes (no expansions). Throws std::invalid_argument, with a complete
// sentence, on an unterminated quote or a trailing backslash.
std::vector<std::string> SplitShellWords(std::string_view text);

// "racelens replay --schedule S --seed N [--pct-depth D] [--pct-steps K] -- ARGV..." (quoted;
// depth and steps when set, as under schedule=pct).
std::string ReplayCommand(std::string_view strategy, std::uint64_t seed, std::optional<int> depth,
                          std::optional<std::uint64_t> steps, const std::vector<std::string>& argv);

// The program and arguments of a replay command (the words after the first
// "--"); empty when the text has no "--" or nothing after it. Throws as SplitShellWords.
std::vector<std::string> ReplayProgram(std::string_view replay_command);

// `report` without what differs between two runs of the same schedule (the pid),
// ready to be compared field by field or as JSON.
Report ForReplayComparison(Report report);

}  // namespace racelens::report
