#include "report/json_writer.hpp"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "report/ids.hpp"

namespace racelens::report {
namespace {

using OrderedJson = nlohmann::ordered_json;
using Json = nlohmann::json;

// ---- writing ----------------------------------------------------------------

OrderedJson FrameJson(const Frame& frame) {
  return OrderedJson{{"function", frame.function},
                     {"file", frame.file},
                     {"line", frame.line},
                     {"pc", static_cast<std::uint64_t>(frame.pc)}};
}

// Collects every stack of the report into "stacks" and hands out their indices.
class StackTable {
 public:
  std::size_t Add(const Stack& stack) {
    OrderedJson frames = OrderedJson::array();
    for (const Frame& frame : stack) frames.push_back(FrameJson(frame));
    stacks_.push_back(std::move(frames));
    return stacks_.size() - 1;
  }
  OrderedJson Take() { return std::move(stacks_); }

 private:
  OrderedJson stacks_ = OrderedJson::array();
};

OrderedJson AccessJson(const Access& access, StackTable& stacks) {
  return OrderedJson{{"type", AccessTypeId(access.type)},
                     {"thread", access.thread},
                     {"object", access.object},
                     {"size", static_cast<std::uint64_t>(access.size)},
                     {"call", access.call},
                     {"stack", stacks.Add(access.stack)},
                     {"locks_held", access.locks_held},
                     {"previous", access.previous}};
}

OrderedJson EdgeJson(const LockOrderEdge& edge, StackTable& stacks) {
  return OrderedJson{{"from_lock", edge.from_lock},
                     {"to_lock", edge.to_lock},
                     {"thread", edge.thread},
                     {"from_acquired", stacks.Add(edge.from_acquired)},
                     {"to_acquired", stacks.Add(edge.to_acquired)}};
}

OrderedJson ThreadJson(const ThreadRef& thread, StackTable& stacks) {
  return OrderedJson{{"id", thread.id},
                     {"name", thread.name},
                     {"parent", thread.parent ? OrderedJson(*thread.parent) : OrderedJson(nullptr)},
                     {"created_at", stacks.Add(thread.created_at)}};
}

// depth and steps only when set (pct runs), so other reports keep their layout.
OrderedJson ScheduleJson(const Schedule& schedule) {
  OrderedJson json{{"strategy", schedule.strategy},
                   {"seed", schedule.seed ? OrderedJson(*schedule.seed) : OrderedJson(nullptr)}};
  if (schedule.depth) json["depth"] = *schedule.depth;
  if (schedule.steps) json["steps"] = *schedule.steps;
  json["replay_command"] = schedule.replay_command;
  return json;
}

OrderedJson TimelineEventJson(const TimelineEvent& event) {
  return OrderedJson{{"step", event.step},
                     {"thread", event.thread},
                     {"op", event.op},
                     {"object", event.object},
                     {"site", FrameJson(event.site)}};
}

// ---- reading ----------------------------------------------------------------

[[noreturn]] void Fail(const std::string& path, const std::string& problem) {
  throw std::invalid_argument("racelens: cannot read the JSON report: field '" + path + "' " +
                              problem + ".");
}

// "number 5", "string \"x\"", shortened so an error message stays one readable line.
std::string Described(const Json& value) {
  constexpr std::size_t kMaxShown = 40;
  std::string shown = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (shown.size() > kMaxShown) shown = shown.substr(0, kMaxShown) + "...";
  return std::string(value.type_name()) + " " + shown;
}

const Json& Field(const Json& object, const char* name, const std::string& path) {
  const std::string field = path.empty() ? name : path + "." + name;
  auto it = object.find(name);
  if (it == object.end()) Fail(field, "is missing");
  return *it;
}

void Expect(bool ok, const Json& value, const std::string& path, const char* what) {
  if (!ok) Fail(path, std::string("must be ") + what + ", not the " + Described(value));
}

const Json& Object(const Json& value, const std::string& path) {
  Expect(value.is_object(), value, path, "an object");
  return value;
}

const Json& Array(const Json& value, const std::string& path) {
  Expect(value.is_array(), value, path, "an array");
  return value;
}

std::string String(const Json& value, const std::string& path) {
  Expect(value.is_string(), value, path, "a string");
  return value.get<std::string>();
}

bool Bool(const Json& value, const std::string& path) {
  Expect(value.is_boolean(), value, path, "true or false");
  return value.get<bool>();
}

// Ids, line numbers and pids: 0 to INT_MAX.
int Int(const Json& value, const std::string& path) {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<int>::max());
  const bool ok =
      value.is_number_unsigned() || (value.is_number_integer() && value.get<std::int64_t>() >= 0);
  Expect(ok, value, path, "a non-negative integer");
  if (value.get<std::uint64_t>() > kMax) {
    Fail(path, "must be at most " + std::to_string(kMax) + ", not " + value.dump());
  }
  return static_cast<int>(value.get<std::uint64_t>());
}

std::uint64_t Unsigned(const Json& value, const std::string& path) {
  const bool ok =
      value.is_number_unsigned() || (value.is_number_integer() && value.get<std::int64_t>() >= 0);
  Expect(ok, value, path, "an unsigned integer");
  return value.get<std::uint64_t>();
}

std::string Index(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

std::vector<int> Ints(const Json& value, const std::string& path) {
  std::vector<int> ints;
  const Json& array = Array(value, path);
  for (std::size_t i = 0; i < array.size(); ++i) ints.push_back(Int(array[i], Index(path, i)));
  return ints;
}

Frame ReadFrame(const Json& value, const std::string& path) {
  const Json& frame = Object(value, path);
  return Frame{String(Field(frame, "function", path), path + ".function"),
               String(Field(frame, "file", path), path + ".file"),
               Int(Field(frame, "line", path), path + ".line"),
               static_cast<std::uintptr_t>(Unsigned(Field(frame, "pc", path), path + ".pc"))};
}

std::vector<Stack> ReadStacks(const Json& value) {
  std::vector<Stack> stacks;
  const Json& array = Array(value, "stacks");
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string stack_path = Index("stacks", i);
    const Json& frames = Array(array[i], stack_path);
    Stack stack;
    for (std::size_t j = 0; j < frames.size(); ++j) {
      stack.push_back(ReadFrame(frames[j], Index(stack_path, j)));
    }
    stacks.push_back(std::move(stack));
  }
  return stacks;
}

// Resolves a stack index field against the "stacks" array read before.
class StackRefs {
 public:
  explicit StackRefs(std::vector<Stack> stacks) : stacks_(std::move(stacks)) {}
  Stack Get(const Json& object, const char* name, const std::string& path) const {
    const std::string field = path + "." + name;
    const Json& value = Field(object, name, path);
    const std::uint64_t index = Unsigned(value, field);
    if (index >= stacks_.size()) {
      Fail(field, "must be an index into 'stacks' (which has " + std::to_string(stacks_.size()) +
                      " entries), not " + std::to_string(index));
    }
    return stacks_[index];
  }

 private:
  std::vector<Stack> stacks_;
};

Kind ReadKind(const Json& value) {
  const std::string id = String(value, "kind");
  std::optional<Kind> kind = KindFromId(id);
  if (!kind) Fail("kind", "must be one of " + std::string(KindIdList()) + ", not '" + id + "'");
  return *kind;
}

AccessType ReadAccessType(const Json& value, const std::string& path) {
  const std::string id = String(value, path);
  std::optional<AccessType> type = AccessTypeFromId(id);
  if (!type) {
    Fail(path,
         "must be one of read, write, event-set, event-clear, lock-acquire, blocking-call, "
         "misuse-call, not '" +
             id + "'");
  }
  return *type;
}

Access ReadAccess(const Json& value, const std::string& path, const StackRefs& stacks) {
  const Json& object = Object(value, path);
  Access access;
  access.type = ReadAccessType(Field(object, "type", path), path + ".type");
  access.thread = Int(Field(object, "thread", path), path + ".thread");
  access.object = String(Field(object, "object", path), path + ".object");
  access.size = static_cast<std::size_t>(Unsigned(Field(object, "size", path), path + ".size"));
  access.call = String(Field(object, "call", path), path + ".call");
  access.stack = stacks.Get(object, "stack", path);
  access.locks_held = Ints(Field(object, "locks_held", path), path + ".locks_held");
  access.previous = Bool(Field(object, "previous", path), path + ".previous");
  return access;
}

ThreadRef ReadThread(const Json& value, const std::string& path, const StackRefs& stacks) {
  const Json& object = Object(value, path);
  ThreadRef thread;
  thread.id = Int(Field(object, "id", path), path + ".id");
  thread.name = String(Field(object, "name", path), path + ".name");
  const Json& parent = Field(object, "parent", path);
  if (!parent.is_null()) thread.parent = Int(parent, path + ".parent");
  thread.created_at = stacks.Get(object, "created_at", path);
  return thread;
}

LockRef ReadLock(const Json& value, const std::string& path) {
  const Json& object = Object(value, path);
  return LockRef{Int(Field(object, "id", path), path + ".id"),
                 String(Field(object, "name", path), path + ".name")};
}

LockOrderEdge ReadEdge(const Json& value, const std::string& path, const StackRefs& stacks) {
  const Json& object = Object(value, path);
  LockOrderEdge edge;
  edge.from_lock = Int(Field(object, "from_lock", path), path + ".from_lock");
  edge.to_lock = Int(Field(object, "to_lock", path), path + ".to_lock");
  edge.thread = Int(Field(object, "thread", path), path + ".thread");
  edge.from_acquired = stacks.Get(object, "from_acquired", path);
  edge.to_acquired = stacks.Get(object, "to_acquired", path);
  return edge;
}

Schedule ReadSchedule(const Json& value) {
  const Json& object = Object(value, "schedule");
  Schedule schedule;
  schedule.strategy = String(Field(object, "strategy", "schedule"), "schedule.strategy");
  const Json& seed = Field(object, "seed", "schedule");
  if (!seed.is_null()) schedule.seed = Unsigned(seed, "schedule.seed");
  if (auto depth = object.find("depth"); depth != object.end()) {
    schedule.depth = Int(*depth, "schedule.depth");
  }
  if (auto steps = object.find("steps"); steps != object.end()) {
    schedule.steps = Unsigned(*steps, "schedule.steps");
  }
  schedule.replay_command =
      String(Field(object, "replay_command", "schedule"), "schedule.replay_command");
  return schedule;
}

TimelineEvent ReadTimelineEvent(const Json& value, const std::string& path) {
  const Json& object = Object(value, path);
  TimelineEvent event;
  event.step = Unsigned(Field(object, "step", path), path + ".step");
  event.thread = Int(Field(object, "thread", path), path + ".thread");
  event.op = String(Field(object, "op", path), path + ".op");
  event.object = String(Field(object, "object", path), path + ".object");
  event.site = ReadFrame(Field(object, "site", path), path + ".site");
  return event;
}

template <typename T, typename ReadOne>
std::vector<T> ReadList(const Json& report, const char* name, ReadOne read_one) {
  std::vector<T> items;
  const Json& array = Array(Field(report, name, ""), name);
  for (std::size_t i = 0; i < array.size(); ++i)
    items.push_back(read_one(array[i], Index(name, i)));
  return items;
}

}  // namespace

std::string ToJsonLine(const Report& report) {
  StackTable stacks;
  OrderedJson accesses = OrderedJson::array();
  for (const Access& access : report.accesses) accesses.push_back(AccessJson(access, stacks));
  OrderedJson edges = OrderedJson::array();
  for (const LockOrderEdge& edge : report.edges) edges.push_back(EdgeJson(edge, stacks));
  OrderedJson threads = OrderedJson::array();
  for (const ThreadRef& thread : report.threads) threads.push_back(ThreadJson(thread, stacks));
  OrderedJson locks = OrderedJson::array();
  for (const LockRef& lock : report.locks) {
    locks.push_back(OrderedJson{{"id", lock.id}, {"name", lock.name}});
  }

  OrderedJson line{{"kind", KindId(report.kind)},
                   {"title", report.title},
                   {"summary", report.summary},
                   {"message", report.message},
                   {"accesses", std::move(accesses)},
                   {"stacks", stacks.Take()},
                   {"threads", std::move(threads)},
                   {"locks", std::move(locks)},
                   {"cycle", report.cycle},
                   {"edges", std::move(edges)},
                   {"schedule", ScheduleJson(report.schedule)},
                   {"pid", report.pid}};
  // Optional: only runs that recorded a history have it (older readers ignore it).
  if (!report.timeline.empty()) {
    OrderedJson timeline = OrderedJson::array();
    for (const TimelineEvent& event : report.timeline) timeline.push_back(TimelineEventJson(event));
    line["timeline"] = std::move(timeline);
  }
  // Text from symbolisation is not always UTF-8: replace bad bytes rather than throw.
  return line.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

Report FromJson(std::string_view line) {
  Json json;
  try {
    json = Json::parse(line);
  } catch (const Json::parse_error& e) {
    throw std::invalid_argument(
        std::string("racelens: cannot read the JSON report: the line is not valid JSON (") +
        e.what() + ").");
  }
  if (!json.is_object()) {
    throw std::invalid_argument(
        "racelens: cannot read the JSON report: the line must be a JSON object, not the " +
        Described(json) + ".");
  }
  const StackRefs stacks(ReadStacks(Field(json, "stacks", "")));
  Report report;
  report.kind = ReadKind(Field(json, "kind", ""));
  report.title = String(Field(json, "title", ""), "title");
  report.summary = String(Field(json, "summary", ""), "summary");
  report.message = String(Field(json, "message", ""), "message");
  report.accesses = ReadList<Access>(json, "accesses", [&](const Json& v, const std::string& p) {
    return ReadAccess(v, p, stacks);
  });
  report.threads = ReadList<ThreadRef>(json, "threads", [&](const Json& v, const std::string& p) {
    return ReadThread(v, p, stacks);
  });
  report.locks = ReadList<LockRef>(json, "locks", ReadLock);
  report.cycle = Ints(Field(json, "cycle", ""), "cycle");
  report.edges = ReadList<LockOrderEdge>(
      json, "edges", [&](const Json& v, const std::string& p) { return ReadEdge(v, p, stacks); });
  report.schedule = ReadSchedule(Field(json, "schedule", ""));
  report.pid = Int(Field(json, "pid", ""), "pid");
  if (json.contains("timeline")) {
    report.timeline = ReadList<TimelineEvent>(json, "timeline", ReadTimelineEvent);
  }
  return report;
}

}  // namespace racelens::report
