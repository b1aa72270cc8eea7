#include "report/html_writer.hpp"

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "report/html_svg.hpp"
#include "report/labels.hpp"

namespace racelens::report {
namespace {

using html::HtmlEscape;

constexpr const char* kStyle = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;
 padding:24px 32px;color:#1c2833;background:#fff;line-height:1.45}
h1{font-size:22px;margin:0 0 12px}
h2{font-size:18px;margin:0 0 6px}
h3{font-size:14px;margin:18px 0 6px;text-transform:uppercase;letter-spacing:.04em;color:#546e7a}
nav ol{margin:0 0 16px;padding-left:22px}
section.report{border:1px solid #cfd8dc;border-radius:8px;padding:16px 20px;margin:0 0 24px}
.kind{display:inline-block;font-size:12px;font-weight:600;padding:2px 8px;border-radius:10px;
 background:#eceff1;margin-right:8px;vertical-align:2px}
.report[data-kind=data-race] .kind,.report[data-kind=event-race] .kind{background:#ffebee;color:#b71c1c}
.report[data-kind=lock-order-inversion] .kind,.report[data-kind=deadlock] .kind{background:#fff3e0;color:#e65100}
.summary{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:13px;margin:0}
.message{margin:6px 0 0}
.scroll{overflow-x:auto;border:1px solid #eceff1;border-radius:6px}
svg text{font-size:12px;fill:#1c2833}
svg .lane-label{font-weight:600}
svg .event-object{fill:#546e7a}
svg .edge-label{font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:4px}
svg .lane.hover .lane-bg{fill:#fff8e1}
figure{margin:0}
figcaption,.note{font-size:12px;color:#607d8b;margin:4px 0 0}
ol.stack{margin:2px 0 10px;padding-left:28px;font-family:ui-monospace,"DejaVu Sans Mono",monospace;
 font-size:12px}
.head{margin:8px 0 0;font-size:14px;font-weight:600}
code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px}
)css";

// window.onerror is installed first thing in <body>, so any later error is recorded.
constexpr const char* kErrorScript =
    "<script>window.onerror=function(message){document.body.setAttribute('data-error',"
    "String(message));};</script>\n";

constexpr const char* kFinishScript =
    "<script>document.querySelectorAll('svg .lane').forEach(function(lane){"
    "lane.addEventListener('mouseenter',function(){lane.classList.add('hover');});"
    "lane.addEventListener('mouseleave',function(){lane.classList.remove('hover');});});"
    "document.body.dataset.rendered='1';</script>\n";

std::string Plural(std::size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

Frame Top(const Stack& stack) { return stack.empty() ? Frame{} : stack.front(); }

std::string AccessOp(const Access& access) {
  switch (access.type) {
    case AccessType::kRead:
      return "read";
    case AccessType::kWrite:
      return "write";
    case AccessType::kEventSet:
      return "Event.set()";
    case AccessType::kEventClear:
      return "Event.clear()";
    case AccessType::kLockAcquire:
      return "acquire";
    case AccessType::kBlockingCall:
      return access.call.empty() ? "blocked" : "blocked in " + access.call;
    case AccessType::kMisuseCall:
      return access.call.empty() ? "misuse" : access.call;
  }
  return "";
}

// Without a recorded history: the earlier accesses, then the current ones, then each
// lock-order edge's two acquisitions.
std::vector<TimelineEvent> DerivedTimeline(const Report& report) {
  std::vector<TimelineEvent> events;
  auto add = [&events](int thread, std::string op, std::string object, const Stack& stack) {
    events.push_back(
        TimelineEvent{events.size(), thread, std::move(op), std::move(object), Top(stack)});
  };
  for (bool previous : {true, false}) {
    for (const Access& access : report.accesses) {
      if (access.previous == previous) {
        add(access.thread, AccessOp(access), access.object, access.stack);
      }
    }
  }
  for (const LockOrderEdge& edge : report.edges) {
    add(edge.thread, "acquire", LockLabel(report, edge.from_lock), edge.from_acquired);
    add(edge.thread, "acquire", LockLabel(report, edge.to_lock), edge.to_acquired);
  }
  return events;
}

// The involved threads: in order of their first event, then the report's other threads.
std::vector<html::Lane> Lanes(const Report& report, const std::vector<TimelineEvent>& events) {
  std::vector<html::Lane> lanes;
  auto add = [&](int thread) {
    auto same = [thread](const html::Lane& lane) { return lane.thread == thread; };
    if (std::none_of(lanes.begin(), lanes.end(), same)) {
      lanes.push_back(html::Lane{thread, ThreadTag(report, thread)});
    }
  };
  for (const TimelineEvent& event : events) add(event.thread);
  for (const ThreadRef& thread : report.threads) add(thread.id);
  return lanes;
}

std::string StackList(const Stack& stack) {
  if (stack.empty()) return "<p class=\"note\">no stack</p>\n";
  std::string out = "<ol class=\"stack\" start=\"0\">";
  for (const Frame& frame : stack) out += "<li>" + HtmlEscape(FrameLabel(frame)) + "</li>";
  return out + "</ol>\n";
}

bool IsCycleStep(const std::vector<int>& cycle, int from, int to) {
  for (std::size_t i = 0; i < cycle.size(); ++i) {
    if (cycle[i] == from && cycle[(i + 1) % cycle.size()] == to) return true;
  }
  return false;
}

std::size_t NodeIndex(std::vector<int>& ids, int id) {
  auto it = std::find(ids.begin(), ids.end(), id);
  if (it != ids.end()) return static_cast<std::size_t>(it - ids.begin());
  ids.push_back(id);
  return ids.size() - 1;
}

std::string LockGraph(const Report& report, const std::string& id) {
  std::vector<int> ids;
  for (const LockRef& lock : report.locks) NodeIndex(ids, lock.id);
  for (int lock : report.cycle) NodeIndex(ids, lock);
  std::vector<html::GraphArrow> arrows;
  for (const LockOrderEdge& edge : report.edges) {
    arrows.push_back(html::GraphArrow{NodeIndex(ids, edge.from_lock), NodeIndex(ids, edge.to_lock),
                                      "T" + std::to_string(edge.thread),
                                      IsCycleStep(report.cycle, edge.from_lock, edge.to_lock)});
  }
  for (std::size_t i = 0; i < report.cycle.size() && report.cycle.size() > 1; ++i) {
    const int from = report.cycle[i];
    const int to = report.cycle[(i + 1) % report.cycle.size()];
    auto drawn = [&](const LockOrderEdge& edge) {
      return edge.from_lock == from && edge.to_lock == to;
    };
    if (std::none_of(report.edges.begin(), report.edges.end(), drawn)) {
      arrows.push_back(html::GraphArrow{NodeIndex(ids, from), NodeIndex(ids, to), "", true});
    }
  }
  std::vector<html::GraphNode> nodes;
  for (int lock : ids) {
    const bool in_cycle =
        std::find(report.cycle.begin(), report.cycle.end(), lock) != report.cycle.end();
    nodes.push_back(html::GraphNode{LockLabel(report, lock), LockLabel(report, lock), in_cycle});
  }
  return "<h3>Lock-order graph</h3>\n<figure>" +
         html::GraphSvg(nodes, arrows, id, "Lock-order graph") +
         "<figcaption>An arrow A &#8594; B: a thread (named on the arrow) took B while holding "
         "A. The cycle is in red.</figcaption></figure>\n";
}

// What a deadlocked thread waits in, from its blocking call.
std::string WaitLabel(const Report& report, int thread) {
  for (const Access& access : report.accesses) {
    if (access.thread != thread || access.type != AccessType::kBlockingCall) continue;
    std::string label = access.call;
    if (!access.object.empty()) label += (label.empty() ? "'" : " '") + access.object + "'";
    return label;
  }
  return "";
}

std::string WaitForGraph(const Report& report, const std::string& id) {
  std::vector<int> ids(report.cycle.begin(), report.cycle.end());
  for (const Access& access : report.accesses) {
    if (access.type == AccessType::kBlockingCall) NodeIndex(ids, access.thread);
  }
  std::vector<html::GraphArrow> arrows;
  for (std::size_t i = 0; i < report.cycle.size() && report.cycle.size() > 1; ++i) {
    const int from = report.cycle[i];
    const int to = report.cycle[(i + 1) % report.cycle.size()];
    arrows.push_back(
        html::GraphArrow{NodeIndex(ids, from), NodeIndex(ids, to), WaitLabel(report, from), true});
  }
  std::vector<html::GraphNode> nodes;
  for (int thread : ids) {
    const bool in_cycle =
        std::find(report.cycle.begin(), report.cycle.end(), thread) != report.cycle.end();
    std::string tooltip = ThreadLabel(report, thread, Capital::kYes);
    const std::string waits = WaitLabel(report, thread);
    if (!waits.empty()) tooltip += " waits in " + waits;
    nodes.push_back(html::GraphNode{ThreadTag(report, thread), tooltip, in_cycle});
  }
  return "<h3>Wait-for graph</h3>\n<figure>" + html::GraphSvg(nodes, arrows, id, "Wait-for graph") +
         "<figcaption>An arrow T &#8594; U: thread T waits for thread U, in the call named on "
         "the arrow. The cycle is in red.</figcaption></figure>\n";
}

std::string BlockedThreads(const Report& report) {
  std::string out = "<h3>Blocked threads</h3>\n<ul class=\"blocked\">";
  for (const Access& access : report.accesses) {
    if (access.type != AccessType::kBlockingCall) continue;
    out += "<li>" + HtmlEscape(AccessLabel(report, access)) + " at <code>" +
           HtmlEscape(FrameSite(access.stack)) + "</code></li>";
  }
  return out + "</ul>\n";
}

// The kind's own picture, placed before the timeline.
std::string KindPicture(const Report& report, const std::string& id) {
  switch (report.kind) {
    case Kind::kDataRace:
    case Kind::kEventRace:
    case Kind::kMisuse:
      return "";
    case Kind::kLockOrderInversion:
      return LockGraph(report, id);
    case Kind::kDeadlock:
      return report.cycle.empty() ? BlockedThreads(report) : WaitForGraph(report, id);
  }
  return "";
}

std::string Timeline(const Report& report) {
  const bool recorded = !report.timeline.empty();
  std::vector<TimelineEvent> given = recorded ? report.timeline : DerivedTimeline(report);
  // By step, equal steps in the given order. (Not std::stable_sort: libstdc++ 12's
  // get_temporary_buffer is deprecated, which clang-tidy 19 turns into an error.)
  std::vector<std::size_t> order(given.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&given](std::size_t a, std::size_t b) {
    return std::tie(given[a].step, a) < std::tie(given[b].step, b);
  });
  std::vector<TimelineEvent> events;
  events.reserve(given.size());
  for (const std::size_t i : order) events.push_back(std::move(given[i]));
  std::string out = "<h3>Timeline</h3>\n<div class=\"scroll\">" +
                    html::TimelineSvg(Lanes(report, events), events) + "</div>\n";
  out += recorded ? "<p class=\"note\">The threads' recorded events before the report, in order; "
                    "hover a mark for its call site.</p>\n"
                  : "<p class=\"note\">The run recorded no history: the events are the report's "
                    "own accesses and lock acquisitions, earlier ones first.</p>\n";
  return out;
}

std::string Accesses(const Report& report) {
  if (report.accesses.empty()) return "";
  std::string out = "<h3>Accesses</h3>\n";
  for (const Access& access : report.accesses) {
    out += "<p class=\"head\">" + HtmlEscape(AccessLabel(report, access)) + ":</p>\n";
    out += StackList(access.stack);
    if (!access.locks_held.empty()) {
      out += "<p class=\"note\">Locks held: " + HtmlEscape(LockList(report, access.locks_held)) +
             "</p>\n";
    }
  }
  return out;
}

std::string Edges(const Report& report) {
  if (report.edges.empty()) return "";
  std::string out = "<h3>Lock-order edges</h3>\n";
  for (const LockOrderEdge& edge : report.edges) {
    out += "<p class=\"head\">" + HtmlEscape(EdgeTakenLabel(report, edge)) + ":</p>\n" +
           StackList(edge.to_acquired);
    out += "<p class=\"head\">" + HtmlEscape(EdgeHeldLabel(report, edge)) + ":</p>\n" +
           StackList(edge.from_acquired);
  }
  return out;
}

std::string Threads(const Report& report) {
  std::string out;
  for (const ThreadRef& thread : report.threads) {
    if (thread.id == 0) continue;  // the main thread was not created by anyone
    out += "<p class=\"head\">" + HtmlEscape(ThreadOrigin(report, thread));
    out += thread.parent ? ":</p>\n" + StackList(thread.created_at) : "</p>\n";
  }
  return out.empty() ? "" : "<h3>Threads</h3>\n" + out;
}

std::string ScheduleLine(const Report& report) {
  std::string out = "<p class=\"note\">Schedule: " + HtmlEscape(report.schedule.strategy);
  if (report.schedule.seed) out += ", seed " + std::to_string(*report.schedule.seed);
  out += "; pid " + std::to_string(report.pid) + ".";
  if (!report.schedule.replay_command.empty()) {
    out += " Replay: <code>" + HtmlEscape(report.schedule.replay_command) + "</code>";
  }
  return out + "</p>\n";
}

std::string Section(const Report& report, std::size_t number) {
  const std::string id = "report-" + std::to_string(number);
  std::string out = "<section class=\"report\" id=\"" + id + "\" data-kind=\"" +
                    std::string(KindId(report.kind)) + "\">\n";
  out += "<h2><span class=\"kind\">" + HtmlEscape(KindId(report.kind)) + "</span>" +
         HtmlEscape(report.title) + "</h2>\n";
  out += "<p class=\"summary\">SUMMARY: " + HtmlEscape(report.summary) + "</p>\n";
  if (!report.message.empty()) {
    out += "<p class=\"message\">" + HtmlEscape(report.message) + "</p>\n";
  }
  out += KindPicture(report, id);
  out += Timeline(report);
  out += Accesses(report);
  out += Edges(report);
  out += Threads(report);
  out += ScheduleLine(report);
  return out + "</section>\n";
}

std::string Contents(const std::vector<Report>& reports) {
  if (reports.size() < 2) return "";
  std::string out = "<nav><ol>";
  for (std::size_t i = 0; i < reports.size(); ++i) {
    out += "<li><a href=\"#report-" + std::to_string(i + 1) + "\">" + HtmlEscape(reports[i].title) +
           "</a></li>";
  }
  return out + "</ol></nav>\n";
}

}  // namespace

std::string ToHtml(const std::vector<Report>& reports) {
  const std::string heading = "racelens: " + Plural(reports.size(), "report");
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      // Nothing may be fetched: the page is self-contained by construction and by policy.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      HtmlEscape(heading) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n" +
      kErrorScript + "<h1>" + HtmlEscape(heading) + "</h1>\n";
  if (reports.empty()) out += "<p class=\"empty\">No reports: racelens found nothing.</p>\n";
  out += Contents(reports);
  for (std::size_t i = 0; i < reports.size(); ++i) out += Section(reports[i], i + 1);
  return out + kFinishScript + "</body>\n</html>\n";
}

}  // namespace racelens::report
