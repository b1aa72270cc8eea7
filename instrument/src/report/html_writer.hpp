// report/html_writer.hpp — the HTML report: one self-contained page.
//
// Defines ToHtml: a list of runtime reports -> one HTML5 document that needs
// nothing else (no network, no external script, style or font; the pictures
// are inline SVG generated in C++, html_svg.hpp). Per report, in a <section>:
//
//   title, summary, message
//   lock-order-inversion  the lock graph: locks on a circle, one arrow per
//                         edge, the `cycle` arrows in red
//   deadlock              the wait-for graph of the `cycle` threads, in red;
//                         the list of blocked threads when `cycle` is empty
//   timeline              one swimlane per involved thread: Report::timeline
//                         when the run recorded one, otherwise derived from
//                         the accesses (`previous` ones first) and the
//                         lock-order edges (both acquisitions, in order)
//   accesses, lock-order edges and threads, each with its stack
//   schedule and replay command, when there is one
//
// An empty list gives a valid page that says so. Every text from the report
// is escaped. The page's only script sets data-error on <body> when a script
// error occurs and data-rendered="1" once the page is set up (the browser
// test checks both), and highlights a lane under the pointer.
// Layout details: docs/report-format.md § HTML.
//
// Thread-safety: a pure function. Errors: none; it only formats.
#pragma once

#include <string>
#include <vector>

#include "report/report.hpp"

namespace racelens::report {

// The HTML page for `reports`, ending with a newline.
std::string ToHtml(const std::vector<Report>& reports);

}  // namespace racelens::report
