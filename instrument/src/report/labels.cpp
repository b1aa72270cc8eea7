#include "report/labels.hpp"

#include <algorithm>
#include <sstream>

namespace racelens::report {
namespace {

const ThreadRef* FindThread(const Report& report, int thread) {
  auto it = std::find_if(report.threads.begin(), report.threads.end(),
                         [thread](const ThreadRef& ref) { return ref.id == thread; });
  return it == report.threads.end() ? nullptr : &*it;
}

std::string Quoted(const std::string& name) { return "'" + name + "'"; }

// "Read", "Previous read": the verb of an access to an object.
std::string Verb(const char* verb, bool previous) {
  if (!previous) return verb;
  std::string lower = verb;
  lower[0] = static_cast<char>(lower[0] - 'A' + 'a');
  return "Previous " + lower;
}

std::string AccessOf(const char* verb, const char* noun, const Report& report,
                     const Access& access) {
  std::string label = Verb(verb, access.previous);
  if (!access.object.empty()) label += std::string(" of ") + noun + Quoted(access.object);
  return label + " by " + ThreadLabel(report, access.thread);
}

}  // namespace

std::string Hex(std::uintptr_t value) {
  std::ostringstream out;
  out << "0x" << std::hex << value;
  return out.str();
}

std::string ThreadLabel(const Report& report, int thread, Capital capital) {
  const bool upper = capital == Capital::kYes;
  if (thread == 0) return upper ? "Main thread" : "main thread";
  return (upper ? "Thread " : "thread ") + ThreadTag(report, thread);
}

std::string ThreadTag(const Report& report, int thread) {
  std::string tag = "T" + std::to_string(thread);
  const ThreadRef* ref = FindThread(report, thread);
  if (ref != nullptr && !ref->name.empty()) tag += " " + Quoted(ref->name);
  return tag;
}

std::string LockLabel(int lock, const std::string& name) {
  std::string label = "M" + std::to_string(lock);
  // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on "lit" + std::string.
  if (!name.empty()) {
    label += ' ';
    label += Quoted(name);
  }
  return label;
}

std::string LockLabel(const Report& report, int lock) {
  auto it = std::find_if(report.locks.begin(), report.locks.end(),
                         [lock](const LockRef& ref) { return ref.id == lock; });
  return LockLabel(lock, it != report.locks.end() ? it->name : std::string());
}

std::string FrameLabel(const Frame& frame) {
  std::string label = frame.function.empty() ? "<unknown>" : frame.function;
  label += ' ';
  if (frame.file.empty()) return label + Hex(frame.pc);
  label += frame.file;
  if (frame.line > 0) {
    label += ':';
    label += std::to_string(frame.line);
  }
  return label;
}

std::string FrameSite(const Stack& stack) {
  if (stack.empty()) return "<no stack>";
  const Frame& frame = stack.front();
  if (frame.file.empty()) return frame.function.empty() ? Hex(frame.pc) : frame.function;
  if (frame.line <= 0) return frame.file;
  return frame.file + ":" + std::to_string(frame.line);
}

std::string AccessLabel(const Report& report, const Access& access) {
  switch (access.type) {
    case AccessType::kRead:
      return AccessOf("Read", "", report, access);
    case AccessType::kWrite:
      return AccessOf("Write", "", report, access);
    case AccessType::kEventSet:
      return AccessOf("Set", "event ", report, access);
    case AccessType::kEventClear:
      return AccessOf("Clear", "event ", report, access);
    case AccessType::kLockAcquire:
      return AccessOf("Acquisition", "mutex ", report, access);
    case AccessType::kBlockingCall: {
      std::string label = ThreadLabel(report, access.thread, Capital::kYes) + " is blocked";
      if (!access.call.empty()) label += " in " + access.call;
      if (!access.object.empty()) label += " on " + Quoted(access.object);
      return label;
    }
    case AccessType::kMisuseCall: {
      std::string label = access.call.empty() ? "" : access.call + ": ";
      return label + report.message + " in " + ThreadLabel(report, access.thread);
    }
  }
  return "";
}

std::string LockList(const Report& report, const std::vector<int>& locks) {
  if (locks.empty()) return "none";
  std::string list;
  for (int lock : locks) list += (list.empty() ? "" : ", ") + LockLabel(report, lock);
  return list;
}

std::string EdgeTakenLabel(const Report& report, const LockOrderEdge& edge) {
  return "Mutex " + LockLabel(report, edge.to_lock) + " acquired here while holding mutex " +
         LockLabel(report, edge.from_lock) + " in " + ThreadLabel(report, edge.thread);
}

std::string EdgeHeldLabel(const Report& report, const LockOrderEdge& edge) {
  return "Mutex " + LockLabel(report, edge.from_lock) +
         " previously acquired by the same thread here";
}

std::string ThreadOrigin(const Report& report, const ThreadRef& thread) {
  const std::string head = ThreadLabel(report, thread.id, Capital::kYes);
  if (!thread.parent) return head + " was not started by racelens";
  return head + " created by " + ThreadLabel(report, *thread.parent) + " at";
}

}  // namespace racelens::report
