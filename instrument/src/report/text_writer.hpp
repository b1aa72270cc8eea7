// report/text_writer.hpp — the text report, modelled on ThreadSanitizer's.
//
// Defines WriteText, which formats one Report as a block of lines framed by
// "==================" (layout in docs/report-format.md § Text):
//
//   ==================
//   WARNING: racelens: <title> (pid=N)
//     <kind-specific lines: cycle, message>
//     <one header line + stack per access>
//     <one header line + stack per lock-order edge, both acquisitions>
//     Locks held by T<n>: ...
//     Thread T<n> '<name>' created by <parent> at:  (+ stack)
//     Replay: <command>
//   SUMMARY: racelens: <summary>
//   ==================
//
// The writer only formats: what goes into the report (which accesses,
// threads, locks) is decided before, by whoever builds the Report.
//
// Thread-safety: a pure function of its arguments; the caller serialises
// writes to a shared stream.
#pragma once

#include <ostream>

#include "report/report.hpp"

namespace racelens::report {

// Writes `report` to `out` as one framed text block, ending with a newline.
void WriteText(const Report& report, std::ostream& out);

}  // namespace racelens::report
