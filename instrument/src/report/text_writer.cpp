#include "report/text_writer.hpp"

#include <cstddef>
#include <string>

#include "report/labels.hpp"

namespace racelens::report {
namespace {

constexpr const char* kRule = "==================";

void WriteStack(const Stack& stack, std::ostream& out) {
  if (stack.empty()) {
    out << "    <empty stack>\n";
    return;
  }
  for (std::size_t i = 0; i < stack.size(); ++i) {
    out << "    #" << i << " " << FrameLabel(stack[i]) << "\n";
  }
}

void WriteLockCycle(const Report& report, std::ostream& out) {
  if (report.cycle.empty()) return;
  out << "  Cycle in lock order graph: ";
  for (int lock : report.cycle) out << LockLabel(report, lock) << " => ";
  out << "M" << report.cycle.front() << "\n";
}

void WriteThreadCycle(const Report& report, std::ostream& out) {
  if (report.cycle.empty()) return;
  out << "  Cycle in wait-for graph: ";
  for (int thread : report.cycle) out << ThreadTag(report, thread) << " => ";
  out << "T" << report.cycle.front() << "\n";
}

void WriteMessage(const Report& report, std::ostream& out) {
  if (!report.message.empty()) out << "  " << report.message << "\n";
}

// What only some kinds have: the cycle and, for deadlocks, what is stuck.
void WriteKindPreamble(const Report& report, std::ostream& out) {
  switch (report.kind) {
    case Kind::kDataRace:
    case Kind::kEventRace:
      return;
    case Kind::kLockOrderInversion:
      WriteLockCycle(report, out);
      return;
    case Kind::kDeadlock:
      WriteMessage(report, out);
      WriteThreadCycle(report, out);
      return;
    case Kind::kMisuse:
      return;  // the message heads each misusing call
  }
}

void WriteAccesses(const Report& report, std::ostream& out) {
  for (const Access& access : report.accesses) {
    out << "  " << AccessLabel(report, access) << ":\n";
    WriteStack(access.stack, out);
  }
}

void WriteEdges(const Report& report, std::ostream& out) {
  for (const LockOrderEdge& edge : report.edges) {
    out << "  " << EdgeTakenLabel(report, edge) << ":\n";
    WriteStack(edge.to_acquired, out);
    out << "  " << EdgeHeldLabel(report, edge) << ":\n";
    WriteStack(edge.from_acquired, out);
  }
}

// An earlier access's lock set is shown only when it held locks.
void WriteLocksHeld(const Report& report, std::ostream& out) {
  for (const Access& access : report.accesses) {
    if (access.previous && access.locks_held.empty()) continue;
    out << "  Locks held by T" << access.thread;
    if (access.previous) out << " at the previous access";
    out << ": " << LockList(report, access.locks_held) << "\n";
  }
}

void WriteThreads(const Report& report, std::ostream& out) {
  for (const ThreadRef& thread : report.threads) {
    if (thread.id == 0) continue;  // the main thread was not created by anyone
    out << "  " << ThreadOrigin(report, thread);
    if (!thread.parent) {
      out << "\n";
      continue;
    }
    out << ":\n";
    WriteStack(thread.created_at, out);
  }
}

}  // namespace

void WriteText(const Report& report, std::ostream& out) {
  out << kRule << "\n";
  out << "WARNING: racelens: " << report.title << " (pid=" << report.pid << ")\n";
  WriteKindPreamble(report, out);
  WriteAccesses(report, out);
  WriteEdges(report, out);
  WriteLocksHeld(report, out);
  WriteThreads(report, out);
  if (!report.schedule.replay_command.empty()) {
    out << "  Replay: " << report.schedule.replay_command << "\n";
  }
  out << "SUMMARY: racelens: " << report.summary << "\n";
  out << kRule << "\n";
}

}  // namespace racelens::report
