#include "report/suppressions.hpp"

#include <fnmatch.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "report/ids.hpp"

namespace racelens::report {
namespace {

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

[[noreturn]] void Fail(std::string_view origin, int line_number, std::string_view line,
                       const std::string& problem) {
  std::ostringstream message;
  message << "racelens: suppressions file '" << origin << "', line " << line_number << ": '" << line
          << "' " << problem << "; each line must be 'kind:glob' where kind is one of "
          << KindIdList() << " or '*', a '#' comment, or blank.";
  throw SuppressionsError(message.str());
}

bool Matches(const std::string& glob, const std::string& text) {
  return !text.empty() && fnmatch(glob.c_str(), text.c_str(), 0) == 0;
}

bool StackMatches(const std::string& glob, const Stack& stack) {
  for (const Frame& frame : stack) {
    if (Matches(glob, frame.function) || Matches(glob, frame.file)) return true;
  }
  return false;
}

}  // namespace

Suppressions Suppressions::Parse(std::string_view text, std::string_view origin) {
  Suppressions suppressions;
  int line_number = 0;
  while (!text.empty() || line_number == 0) {
    const auto end = text.find('\n');
    const std::string_view raw = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;

    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) Fail(origin, line_number, line, "has no ':'");
    const std::string_view kind_id = Trim(line.substr(0, colon));
    const std::string_view glob = Trim(line.substr(colon + 1));
    if (kind_id.empty()) Fail(origin, line_number, line, "has no kind before the ':'");
    if (glob.empty()) Fail(origin, line_number, line, "has no glob after the ':'");

    Rule rule{std::nullopt, std::string(glob)};
    if (kind_id != "*") {
      rule.kind = KindFromId(kind_id);
      if (!rule.kind) {
        Fail(origin, line_number, line,
             "names an unknown report kind '" + std::string(kind_id) + "'");
      }
    }
    suppressions.rules_.push_back(std::move(rule));
  }
  return suppressions;
}

Suppressions Suppressions::Load(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  std::string text;
  int error = file == nullptr ? errno : 0;
  if (file != nullptr) {
    char buffer[4096];
    std::size_t got;
    errno = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, got);
    if (std::ferror(file)) error = errno != 0 ? errno : EIO;
    std::fclose(file);
  }
  if (error != 0) {
    throw SuppressionsError("racelens: cannot read the suppressions file '" + path + "' (" +
                            std::strerror(error) +
                            "); the option suppressions= must name a readable text file.");
  }
  return Parse(text, path);
}

bool Suppressions::Suppressed(const Report& report) const {
  for (const Rule& rule : rules_) {
    if (rule.kind && *rule.kind != report.kind) continue;
    for (const Access& access : report.accesses) {
      if (StackMatches(rule.glob, access.stack)) return true;
    }
    for (const LockOrderEdge& edge : report.edges) {
      if (StackMatches(rule.glob, edge.from_acquired) ||
          StackMatches(rule.glob, edge.to_acquired)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace racelens::report
