// report/labels.hpp — how reports name threads, locks, frames and accesses.
//
// The phrases shared by the text and SARIF writers, so both say the same
// thing the same way (TSan's wording; docs/report-format.md § Text):
//
//   ThreadLabel      "main thread", "thread T3 'Thread-3'", "thread T3"
//   ThreadTag        "T3 'Thread-3'", "T3"                  (cycles)
//   LockLabel        "M1 'lock_a'", "M3"
//   FrameLabel       "getlock() samples/nolock_counter.cpp:18", "<unknown> 0x4011a6"
//   AccessLabel      "Write of 'value' by thread T3 'Thread-3'",
//                    "Thread T2 'Thread-2' is blocked in Queue.join()",
//                    "release unlocked lock in thread T1 'Thread-1'"
//   FrameSite        "samples/nolock_counter.cpp:18", the function or the pc
//                    when the file is unknown, "<no stack>" for an empty stack
//   LockList         "M1 'lock_a', M2", "none"
//   EdgeTakenLabel   "Mutex M2 acquired here while holding mutex M1 in thread T1"
//   EdgeHeldLabel    "Mutex M1 previously acquired by the same thread here"
//   ThreadOrigin     "Thread T1 created by main thread at",
//                    "Thread T4 was not started by racelens"
//
// Names are looked up in Report::threads and Report::locks; an id missing
// there prints without a name.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "report/report.hpp"

namespace racelens::report {

enum class Capital { kNo, kYes };

std::string Hex(std::uintptr_t value);  // "0x4011a6"

std::string ThreadLabel(const Report& report, int thread, Capital capital = Capital::kNo);
std::string ThreadTag(const Report& report, int thread);
std::string LockLabel(const Report& report, int lock);
// The same label from a lock id and name, for code that has no Report yet.
std::string LockLabel(int lock, const std::string& name);

std::string FrameLabel(const Frame& frame);
std::string FrameSite(const Stack& stack);

std::string AccessLabel(const Report& report, const Access& access);

std::string LockList(const Report& report, const std::vector<int>& locks);
// The two acquisitions of a lock-order edge: the second lock, then the first.
std::string EdgeTakenLabel(const Report& report, const LockOrderEdge& edge);
std::string EdgeHeldLabel(const Report& report, const LockOrderEdge& edge);
// Who created a thread; followed by the creation stack unless it was not started by racelens.
std::string ThreadOrigin(const Report& report, const ThreadRef& thread);

}  // namespace racelens::report
