// racelens/detail/fork.hpp — fork() for the racelens runtime (internal).
//
// ForkProcess()  forks the calling process so that the child's runtime is
//   consistent, as Python's os.fork() with threading._after_fork:
//   - the runtime's own mutexes (thread registry, detector, report sink,
//     stack depot, symbolizer) are held across fork(), so the child never
//     inherits one locked by a thread that does not exist there;
//   - the forking thread becomes the child's main thread and its only live
//     thread; every other thread is marked finished (joining it returns at
//     once, is_alive() is false) and forgotten by the detector;
//   - the deadlock watchdog is started again by the child's first blocking
//     call that has no timeout;
//   - with report_path set, the child reports to its own <pid>.jsonl; its
//     count of findings starts at zero (reports the parent made before the
//     fork are not repeated by the child).
//   Returns the child's pid in the parent and 0 in the child, like fork().
//   Throws RuntimeError when fork() fails. Locks of the program itself
//   (racelens::Lock and others) are copied in whatever state they are: one
//   held by a thread that does not exist in the child stays held, as in Python.
//   Call ForkProcess rather than fork(): a plain fork() from a process with
//   several threads may leave the child's runtime deadlocked.
//
// ExitForkedChild(status)  ends a child made by ForkProcess, as Python's child
//   process ends with os._exit(): flushes stdio and the reports, then
//   _exit()s — no atexit handlers, no static destructors, no join of threads.
//   When `status` is 0 and the child reported findings, the child exits with
//   the report exit code (`exitcode`, 66) instead, as ThreadSanitizer's _exit
//   does; a non-zero status is kept.
//
// Thread-safety: both may be called from any thread.
#pragma once

#include <sys/types.h>

namespace racelens::detail {

pid_t ForkProcess();
[[noreturn]] void ExitForkedChild(int status);

}  // namespace racelens::detail
