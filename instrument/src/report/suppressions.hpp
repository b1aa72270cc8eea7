// report/suppressions.hpp — the suppressions file (option `suppressions`).
//
// Format, one rule per line:
//
//   # a comment                 ('#' first on the line, after optional blanks)
//   data-race:*third_party/*    kind ':' glob
//   *:legacy_worker*            '*' = any kind
//                               blank lines are ignored
//
// kind is a report kind id (data-race, event-race, lock-order-inversion,
// deadlock, misuse) or '*'. glob is an fnmatch(3) pattern ('*', '?', [...];
// '*' also matches '/') that must match the whole function name (as frames
// print it, e.g. "getlock()") or the whole file path of at least one frame of
// the report's access and lock-order-edge stacks; thread-creation stacks are
// not searched (every thread is created from main). Blanks around kind and
// glob are ignored.
//
// Thread-safety: Parse/Load are pure; a Suppressions is immutable after
// construction and can be shared between threads.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "report/report.hpp"

namespace racelens::report {

// A malformed line or an unreadable file. The message is a complete sentence
// naming the file, the line number, what is wrong and what is allowed.
class SuppressionsError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class Suppressions {
 public:
  // Suppresses nothing.
  Suppressions() = default;

  // Parses the text of a suppressions file; `origin` names it in errors.
  static Suppressions Parse(std::string_view text, std::string_view origin);
  // Reads and parses the file at `path`.
  static Suppressions Load(const std::string& path);

  // True when some rule's kind matches the report's kind and its glob matches
  // a frame's function or file.
  bool Suppressed(const Report& report) const;

  // The number of rules.
  std::size_t size() const { return rules_.size(); }

 private:
  struct Rule {
    std::optional<Kind> kind;  // nullopt: any kind
    std::string glob;
  };
  std::vector<Rule> rules_;
};

}  // namespace racelens::report
