#include "report/sarif_writer.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "report/dedup.hpp"
#include "report/ids.hpp"
#include "report/labels.hpp"

#ifndef RACELENS_VERSION
#error "RACELENS_VERSION must be defined by the build (instrument/CMakeLists.txt)"
#endif

namespace racelens::report {
namespace {

using Json = nlohmann::ordered_json;

struct RuleText {
  const char* name;
  const char* short_description;
  const char* full_description;
};

RuleText TextOf(Kind kind) {
  switch (kind) {
    case Kind::kDataRace:
      return {"DataRace", "Two threads access shared memory without synchronisation.",
              "Two accesses to the same tracked memory, at least one of them a write, are not "
              "ordered by happens-before: the program's result depends on the interleaving."};
    case Kind::kEventRace:
      return {"EventRace", "An Event.clear() races with an Event.set(); the signal can be lost.",
              "An Event.clear() and an Event.set() are not ordered by happens-before, so the "
              "clear() can wipe out the set() before a waiter sees it."};
    case Kind::kLockOrderInversion:
      return {"LockOrderInversion", "Locks are acquired in inconsistent orders.",
              "The lock-order graph has a cycle: threads take the same locks in different "
              "orders, which can deadlock even when this run did not."};
    case Kind::kDeadlock:
      return {"ThreadDeadlock", "Threads are blocked forever.",
              "A cycle in the wait-for graph, or every live thread blocked with no timeout "
              "pending; the run was stopped after deadlock_timeout seconds."};
    case Kind::kMisuse:
      return {"ApiMisuse", "A threading API is used in a way it does not allow.",
              "An API misuse such as releasing an unlocked lock, calling task_done() too many "
              "times, or a thread exiting while holding a lock."};
  }
  return {"", "", ""};
}

Json Text(const std::string& text) { return Json{{"text", text}}; }

// Percent-encodes a path into a URI reference; absolute paths become file:// URIs.
std::string Uri(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = path.starts_with('/') ? "file://" : "";
  for (unsigned char c : path) {
    const bool plain =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::string_view("-._~/!$&'()*+,;=@").find(static_cast<char>(c)) != std::string_view::npos;
    if (plain) {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 0xF];
    }
  }
  return uri;
}

Json FrameLocation(const Frame& frame) {
  Json location = Json::object();
  if (!frame.file.empty()) {
    Json physical{{"artifactLocation", {{"uri", Uri(frame.file)}}}};
    if (frame.line > 0) physical["region"] = {{"startLine", frame.line}};
    location["physicalLocation"] = std::move(physical);
  }
  if (!frame.function.empty()) {
    location["logicalLocations"] =
        Json::array({{{"fullyQualifiedName", frame.function}, {"kind", "function"}}});
  }
  if (frame.file.empty()) {
    location["properties"] = {{"pc", Hex(frame.pc)}};
  }
  return location;
}

Json ThreadFlowLocation(const std::string& message, const Stack& stack) {
  Json location = stack.empty() ? Json::object() : FrameLocation(stack.front());
  location["message"] = Text(message);
  Json step{{"location", std::move(location)}};
  if (!stack.empty()) {
    Json frames = Json::array();
    for (const Frame& frame : stack) frames.push_back({{"location", FrameLocation(frame)}});
    step["stack"] = {{"frames", std::move(frames)}};
  }
  return step;
}

// The threads that accessed or acquired something, in order of first appearance.
std::vector<int> InvolvedThreads(const Report& report) {
  std::vector<int> threads;
  auto add = [&threads](int thread) {
    if (std::find(threads.begin(), threads.end(), thread) == threads.end()) {
      threads.push_back(thread);
    }
  };
  for (const Access& access : report.accesses) add(access.thread);
  for (const LockOrderEdge& edge : report.edges) add(edge.thread);
  return threads;
}

Json ThreadFlow(const Report& report, int thread) {
  Json locations = Json::array();
  for (const Access& access : report.accesses) {
    if (access.thread != thread) continue;
    locations.push_back(ThreadFlowLocation(AccessLabel(report, access), access.stack));
  }
  for (const LockOrderEdge& edge : report.edges) {
    if (edge.thread != thread) continue;
    locations.push_back(ThreadFlowLocation(
        "Mutex " + LockLabel(report, edge.from_lock) + " acquired", edge.from_acquired));
    locations.push_back(ThreadFlowLocation("Mutex " + LockLabel(report, edge.to_lock) +
                                               " acquired while holding mutex " +
                                               LockLabel(report, edge.from_lock),
                                           edge.to_acquired));
  }
  return Json{{"id", "T" + std::to_string(thread)},
              {"message", Text(ThreadLabel(report, thread, Capital::kYes))},
              {"locations", std::move(locations)}};
}

// The stack whose frame 0 is the result's location.
const Stack* PrimaryStack(const Report& report) {
  if (!report.accesses.empty()) return &report.accesses.front().stack;
  if (!report.edges.empty()) return &report.edges.front().to_acquired;
  return nullptr;
}

Json Result(const Report& report) {
  const auto rule_index = std::find(kAllKinds.begin(), kAllKinds.end(), report.kind);
  Json result{{"ruleId", KindId(report.kind)},
              {"ruleIndex", rule_index - kAllKinds.begin()},
              {"level", "error"},
              {"message", Text(report.title)}};
  Json locations = Json::array();
  const Stack* primary = PrimaryStack(report);
  if (primary != nullptr && !primary->empty()) locations.push_back(FrameLocation(primary->front()));
  result["locations"] = std::move(locations);

  Json thread_flows = Json::array();
  for (int thread : InvolvedThreads(report)) thread_flows.push_back(ThreadFlow(report, thread));
  if (!thread_flows.empty()) {
    result["codeFlows"] = Json::array({{{"threadFlows", std::move(thread_flows)}}});
  }
  result["partialFingerprints"] = {{"racelensSites/v1", DedupKey(report)}};
  result["properties"] = {{"summary", report.summary}, {"pid", report.pid}};
  if (!report.schedule.replay_command.empty()) {
    result["properties"]["replay"] = report.schedule.replay_command;
  }
  return result;
}

Json Rules() {
  Json rules = Json::array();
  for (Kind kind : kAllKinds) {
    const RuleText text = TextOf(kind);
    rules.push_back({{"id", KindId(kind)},
                     {"name", text.name},
                     {"shortDescription", Text(text.short_description)},
                     {"fullDescription", Text(text.full_description)},
                     {"help", Text(std::string(text.full_description) +
                                   " See docs/report-format.md for how to read the report.")},
                     {"defaultConfiguration", {{"level", "error"}}}});
  }
  return rules;
}

}  // namespace

std::string ToSarif(const std::vector<Report>& reports) {
  Json results = Json::array();
  for (const Report& report : reports) results.push_back(Result(report));
  Json log{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
           {"version", "2.1.0"},
           {"runs", Json::array({{{"tool",
                                   {{"driver",
                                     {{"name", "racelens"},
                                      {"semanticVersion", RACELENS_VERSION},
                                      {"rules", Rules()}}}}},
                                  {"results", std::move(results)}}})}};
  return log.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace racelens::report
