#include "report/html_svg.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "report/labels.hpp"

namespace racelens::report::html {
namespace {

constexpr const char* kEdgeColour = "#546e7a";

std::string Num(double value) { return std::to_string(std::lround(value)); }

// At most `max` bytes plus an ellipsis, never cutting a UTF-8 sequence.
std::string Shortened(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "\xE2\x80\xA6";
}

// The colour of an event mark, by what the thread did.
const char* EventColour(const std::string& op) {
  if (op == "write") return "#e53935";
  if (op == "read") return "#1e88e5";
  if (op.find("acquire") != std::string::npos) return "#8e24aa";
  if (op.rfind("blocked", 0) == 0) return "#ef6c00";
  if (op.rfind("Event.", 0) == 0) return "#2e7d32";
  return "#455a64";
}

std::string EventTooltip(const TimelineEvent& event) {
  std::string tip = "step " + std::to_string(event.step) + ": " + event.op;
  if (!event.object.empty()) tip += " " + event.object;
  if (!event.site.function.empty() || !event.site.file.empty()) {
    tip += "\n" + FrameLabel(event.site);
  }
  return tip;
}

struct Point {
  double x = 0;
  double y = 0;
};

// How far from a box's centre its border lies in direction (dx, dy).
double ToBorder(double dx, double dy, double half_width, double half_height) {
  const double length = std::hypot(dx, dy);
  if (length == 0) return 0;
  double t = std::numeric_limits<double>::infinity();
  if (dx != 0) t = std::min(t, half_width / std::abs(dx / length));
  if (dy != 0) t = std::min(t, half_height / std::abs(dy / length));
  return t;
}

Point Towards(Point from, Point to, double distance) {
  const double length = std::hypot(to.x - from.x, to.y - from.y);
  if (length == 0) return from;
  return Point{from.x + (to.x - from.x) / length * distance,
               from.y + (to.y - from.y) / length * distance};
}

std::string Marker(const std::string& id, const char* colour) {
  return "<marker id=\"" + id +
         "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" "
         "markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"" +
         colour + "\"/></marker>";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += "&#xFFFD;";
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string TimelineSvg(const std::vector<Lane>& lanes, const std::vector<TimelineEvent>& events) {
  constexpr int kLabelWidth = 190;
  constexpr int kLaneHeight = 64;
  constexpr int kColumnWidth = 150;
  const int columns = std::max<int>(1, static_cast<int>(events.size()));
  const int width = kLabelWidth + columns * kColumnWidth + 10;
  const int height = static_cast<int>(lanes.size()) * kLaneHeight;
  std::string svg = "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    Num(width) + "\" height=\"" + Num(height) + "\" viewBox=\"0 0 " + Num(width) +
                    " " + Num(height) + "\" role=\"img\" aria-label=\"Timeline of the threads\">";
  for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
    const int top = static_cast<int>(lane) * kLaneHeight;
    const int middle = top + kLaneHeight / 2;
    svg += "<g class=\"lane\" data-thread=\"" + std::to_string(lanes[lane].thread) + "\">";
    svg += "<rect class=\"lane-bg\" x=\"0\" y=\"" + Num(top) + "\" width=\"" + Num(width) +
           "\" height=\"" + Num(kLaneHeight) + "\" fill=\"" +
           (lane % 2 == 0 ? "#f3f6f9" : "#fbfcfd") + "\"/>";
    svg += "<text class=\"lane-label\" x=\"10\" y=\"" + Num(middle + 4) + "\"><title>" +
           HtmlEscape(lanes[lane].label) + "</title>" +
           HtmlEscape(Shortened(lanes[lane].label, 24)) + "</text>";
    svg += "<line x1=\"" + Num(kLabelWidth) + "\" y1=\"" + Num(middle) + "\" x2=\"" +
           Num(width - 10) + "\" y2=\"" + Num(middle) +
           "\" stroke=\"#b0bec5\" stroke-width=\"2\"/>";
    for (std::size_t rank = 0; rank < events.size(); ++rank) {
      const TimelineEvent& event = events[rank];
      if (event.thread != lanes[lane].thread) continue;
      const int x = kLabelWidth + static_cast<int>(rank) * kColumnWidth + kColumnWidth / 2;
      svg += "<g class=\"event\"><title>" + HtmlEscape(EventTooltip(event)) + "</title>";
      svg += "<circle cx=\"" + Num(x) + "\" cy=\"" + Num(middle) + "\" r=\"7\" fill=\"" +
             EventColour(event.op) + "\"/>";
      svg += "<text class=\"event-op\" x=\"" + Num(x) + "\" y=\"" + Num(middle - 13) +
             "\" text-anchor=\"middle\">" + HtmlEscape(Shortened(event.op, 24)) + "</text>";
      svg += "<text class=\"event-object\" x=\"" + Num(x) + "\" y=\"" + Num(middle + 22) +
             "\" text-anchor=\"middle\">" + HtmlEscape(Shortened(event.object, 24)) + "</text>";
      svg += "</g>";
    }
    svg += "</g>";
  }
  return svg + "</svg>";
}

std::string GraphSvg(const std::vector<GraphNode>& nodes, const std::vector<GraphArrow>& arrows,
                     const std::string& id, const std::string& description) {
  constexpr double kWidth = 460;
  constexpr double kHalfHeight = 16;
  // A pair sits side by side: no need for the circle's height.
  const double height = nodes.size() <= 2 ? 170 : 360;
  const Point centre{kWidth / 2, height / 2};
  const double radius = nodes.size() > 1 ? 125 : 0;
  std::vector<Point> at;
  std::vector<std::string> labels;
  std::vector<double> half_widths;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    // The first node at the top, the others clockwise; a pair side by side.
    const double first = nodes.size() == 2 ? std::numbers::pi : -std::numbers::pi / 2;
    const double angle = first + 2 * std::numbers::pi * static_cast<double>(i) /
                                     static_cast<double>(std::max<std::size_t>(1, nodes.size()));
    at.push_back(Point{centre.x + radius * std::cos(angle), centre.y + radius * std::sin(angle)});
    labels.push_back(Shortened(nodes[i].label, 22));
    half_widths.push_back(std::max(30.0, 3.6 * static_cast<double>(labels.back().size()) + 12));
  }

  const std::string plain_marker = "arrow-" + id;
  const std::string cycle_marker = "arrow-cycle-" + id;
  std::string svg = "<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    Num(kWidth) + "\" height=\"" + Num(height) + "\" viewBox=\"0 0 " + Num(kWidth) +
                    " " + Num(height) + "\" role=\"img\" aria-label=\"" + HtmlEscape(description) +
                    "\"><defs>" + Marker(plain_marker, kEdgeColour) +
                    Marker(cycle_marker, kCycleColour) + "</defs>";

  for (const GraphArrow& arrow : arrows) {
    if (arrow.from >= nodes.size() || arrow.to >= nodes.size() || arrow.from == arrow.to) continue;
    const Point from = at[arrow.from];
    const Point to = at[arrow.to];
    // Bend every arrow to its left, so that A->B and B->A do not overlap.
    const double dx = to.x - from.x;
    const double dy = to.y - from.y;
    const double length = std::hypot(dx, dy);
    const Point control{(from.x + to.x) / 2 + dy / length * 34,
                        (from.y + to.y) / 2 - dx / length * 34};
    const Point start = Towards(
        from, control,
        ToBorder(control.x - from.x, control.y - from.y, half_widths[arrow.from], kHalfHeight) + 2);
    const Point end = Towards(
        to, control,
        ToBorder(control.x - to.x, control.y - to.y, half_widths[arrow.to], kHalfHeight) + 3);
    const char* colour = arrow.cycle ? kCycleColour : kEdgeColour;
    svg += std::string("<g class=\"") + (arrow.cycle ? "edge cycle" : "edge") + "\" stroke=\"" +
           colour + "\">";
    svg += "<path d=\"M" + Num(start.x) + "," + Num(start.y) + " Q" + Num(control.x) + "," +
           Num(control.y) + " " + Num(end.x) + "," + Num(end.y) + "\" fill=\"none\" stroke=\"" +
           colour + "\" stroke-width=\"" + (arrow.cycle ? "3" : "2") + "\" marker-end=\"url(#" +
           (arrow.cycle ? cycle_marker : plain_marker) + ")\"/>";
    if (!arrow.label.empty()) {
      const Point middle{0.25 * start.x + 0.5 * control.x + 0.25 * end.x,
                         0.25 * start.y + 0.5 * control.y + 0.25 * end.y};
      svg += "<text class=\"edge-label\" x=\"" + Num(middle.x) + "\" y=\"" + Num(middle.y + 4) +
             "\" text-anchor=\"middle\" fill=\"" + colour + "\" stroke=\"none\"><title>" +
             HtmlEscape(arrow.label) + "</title>" + HtmlEscape(Shortened(arrow.label, 28)) +
             "</text>";
    }
    svg += "</g>";
  }

  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const char* stroke = nodes[i].in_cycle ? kCycleColour : kEdgeColour;
    svg += std::string("<g class=\"") + (nodes[i].in_cycle ? "node cycle" : "node") + "\"><title>" +
           HtmlEscape(nodes[i].tooltip) + "</title>";
    svg += "<rect x=\"" + Num(at[i].x - half_widths[i]) + "\" y=\"" + Num(at[i].y - kHalfHeight) +
           "\" width=\"" + Num(2 * half_widths[i]) + "\" height=\"" + Num(2 * kHalfHeight) +
           "\" rx=\"14\" fill=\"#ffffff\" stroke=\"" + stroke + "\" stroke-width=\"2\"/>";
    svg += "<text x=\"" + Num(at[i].x) + "\" y=\"" + Num(at[i].y + 4) +
           "\" text-anchor=\"middle\">" + HtmlEscape(labels[i]) + "</text></g>";
  }
  return svg + "</svg>";
}

}  // namespace racelens::report::html
