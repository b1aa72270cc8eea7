// report/sarif_writer.hpp — SARIF 2.1.0 for code-scanning tools.
//
// Defines ToSarif: a list of runtime reports -> one SARIF log (a JSON
// document) with one run whose tool.driver is "racelens" and whose rules are
// the five report kinds (rule id = KindId). Each report becomes one result:
//
//   ruleId / ruleIndex   the report kind
//   level                "error" (every finding fails the run, as exitcode does)
//   message.text         the report's title
//   locations            frame 0 of the first access (first edge's inner
//                        acquisition for lock-order inversions); none when
//                        that stack is empty
//   codeFlows            one codeFlow with one threadFlow per involved thread
//                        (threads in order of first appearance among accesses,
//                        then edges); each location is one access or lock
//                        acquisition, with its full stack
//   partialFingerprints  "racelensSites/v1": the deduplication key
//
// Layout details: docs/report-format.md § SARIF.
//
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <vector>

#include "report/report.hpp"

namespace racelens::report {

// The SARIF log for `reports`, pretty-printed, ending with a newline.
std::string ToSarif(const std::vector<Report>& reports);

}  // namespace racelens::report
