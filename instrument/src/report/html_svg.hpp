// report/html_svg.hpp — the pictures of the HTML report, as inline SVG.
//
// Used by html_writer.cpp only. Defines:
//
//   HtmlEscape   text made safe for HTML and SVG content and for attribute
//                values in either quote (& < > " ' escaped, control
//                characters other than tab and newline replaced by U+FFFD)
//   TimelineSvg  one swimlane per thread, one mark per event, events placed
//                left to right by their rank in step order
//   GraphSvg     nodes on a circle and arrows between them; arrows marked
//                `cycle` are red (kCycleColour) and carry class "edge cycle"
//
// The SVG is generated here, nothing is fetched: the page works offline.
// `id` arguments must be unique within the page (they name SVG markers).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "report/report.hpp"

namespace racelens::report::html {

inline constexpr const char* kCycleColour = "#c62828";

std::string HtmlEscape(std::string_view text);

struct Lane {
  int thread = 0;
  std::string label;  // "T1 'Thread-1'"
};

// `events` in step order; an event whose thread has no lane is not drawn.
std::string TimelineSvg(const std::vector<Lane>& lanes, const std::vector<TimelineEvent>& events);

struct GraphNode {
  std::string label;    // drawn in the node, shortened when long
  std::string tooltip;  // shown on hover, in full
  bool in_cycle = false;
};

struct GraphArrow {
  std::size_t from = 0;  // indices into the nodes
  std::size_t to = 0;
  std::string label;  // drawn at the arrow's middle; may be empty
  bool cycle = false;
};

std::string GraphSvg(const std::vector<GraphNode>& nodes, const std::vector<GraphArrow>& arrows,
                     const std::string& id, const std::string& description);

}  // namespace racelens::report::html
