#include "report/replay.hpp"

#include <stdexcept>

namespace racelens::report {
namespace {

// Characters that are never special to a POSIX shell, in any position.
bool IsPlain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '/' || c == ',' || c == '+' || c == ':' || c == '@' ||
         c == '%' || c == '=';
}

}  // namespace

std::string ShellQuote(std::string_view word) {
  bool plain = !word.empty();
  for (const char c : word) plain = plain && IsPlain(c);
  if (plain) return std::string(word);
  std::string quoted = "'";
  for (const char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  quoted += '\'';
  return quoted;
}

std::string ShellJoin(const std::vector<std::string>& words) {
  std::string joined;
  for (const std::string& word : words) {
    if (!joined.empty()) joined += ' ';
    joined += ShellQuote(word);
  }
  return joined;
}

std::vector<std::string> SplitShellWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      const std::size_t end = text.find('\'', i + 1);
      if (end == std::string_view::npos) {
        throw std::invalid_argument("The command has a single quote that is never closed.");
      }
      word.append(text.substr(i + 1, end - i - 1));
      i = end;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < text.size() && text[j] != '"'; ++j) {
        // Inside double quotes a backslash escapes only $ ` " \ and a newline.
        if (text[j] == '\\' && j + 1 < text.size() &&
            std::string_view("$`\"\\\n").find(text[j + 1]) != std::string_view::npos) {
          ++j;
        }
        word += text[j];
      }
      if (j >= text.size()) {
        throw std::invalid_argument("The command has a double quote that is never closed.");
      }
      i = j;
    } else if (c == '\\') {
      if (i + 1 >= text.size()) {
        throw std::invalid_argument("The command ends with a backslash that escapes nothing.");
      }
      word += text[++i];
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

std::string ReplayCommand(std::string_view strategy, std::uint64_t seed, std::optional<int> depth,
                          std::optional<std::uint64_t> steps,
                          const std::vector<std::string>& argv) {
  std::string command =
      "racelens replay --schedule " + ShellQuote(strategy) + " --seed " + std::to_string(seed);
  if (depth) command += " --pct-depth " + std::to_string(*depth);
  if (steps) command += " --pct-steps " + std::to_string(*steps);
  command += " -- " + ShellJoin(argv);
  return command;
}

std::vector<std::string> ReplayProgram(std::string_view replay_command) {
  std::vector<std::string> words = SplitShellWords(replay_command);
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i] == "--") return {words.begin() + static_cast<std::ptrdiff_t>(i) + 1, words.end()};
  }
  return {};
}

Report ForReplayComparison(Report report) {
  report.pid = 0;
  return report;
}

}  // namespace racelens::report
