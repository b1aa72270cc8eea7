// tests/instrument/exit_child.cpp — the program exit_test runs to check what happens to racelens
// threads when the program ends (Python's interpreter shutdown): non-daemon threads are joined,
// daemon threads do not hold the exit up.
//
//   exit_child join          a non-daemon thread blocks on an Event that another thread sets only
//                            once main has returned (from an atexit handler registered after the
//                            threads started, so it runs before racelens' join); the waiter's
//                            line in the output proves the exit waited for it
//   exit_child exit          the same, but main ends with std::exit(0)
//   exit_child daemon        a daemon thread blocks forever; main returns: exit status 0, promptly
//   exit_child daemon-child  a daemon thread starts a child (a daemon by inheritance); both block
//                            forever; main returns
//   exit_child mixed         both: the non-daemon waiter is joined, the daemon is left behind
//   exit_child quick-exit    a non-daemon thread blocks forever; std::_Exit(0) skips the join
//
// Objects the threads use are leaked on purpose: they must outlive main.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

// A racelens object with static storage: its constructor starts the runtime during static
// initialisation, so a bad RACELENS_OPTIONS is found there (ExitTest.BadOptionDuringStatic...).
racelens::Shared<int> g_static_shared{0, "g_static_shared"};

racelens::Event* g_main_done = nullptr;  // set by the atexit handler, after main returned
racelens::Event* g_release = nullptr;    // set by the releaser, after g_main_done
racelens::Event* g_never = nullptr;      // never set

void Say(const char* line) {
  std::printf("%s\n", line);
  std::fflush(stdout);
}

void OnExit() {
  Say("atexit: main has returned");
  g_main_done->set();
}

// Thread objects that must outlive main (a target-based Thread's destructor would wait for
// its thread); kept reachable so that LeakSanitizer does not count them as leaks.
// Never destroyed, so the pointers stay reachable while daemon threads run during exit.
auto* const g_kept_threads = new std::vector<racelens::Thread*>();
auto* const g_kept_threads_mutex = new std::mutex();

racelens::Thread* Keep(racelens::Thread* thread) {
  std::lock_guard lock(*g_kept_threads_mutex);
  g_kept_threads->push_back(thread);
  return thread;
}

// Starts the non-daemon waiter and the thread that releases it once main has returned.
void StartJoinedWaiter() {
  auto* waiter =
      new racelens::Thread(racelens::ThreadOptions{.name = "waiter", .daemon = false}, [] {
        g_release->wait();
        Say("waiter: released after main returned");
      });
  auto* releaser =
      new racelens::Thread(racelens::ThreadOptions{.name = "releaser", .daemon = false}, [] {
        g_main_done->wait();
        g_release->set();
      });
  Keep(waiter);
  Keep(releaser);
  waiter->start();
  releaser->start();
  // Registered after the first racelens thread started, so it runs before racelens' own
  // exit-time join (atexit handlers run in reverse order of registration).
  std::atexit(OnExit);
}

void StartBlockedDaemon() {
  // A local Thread object: its destructor leaves a running daemon thread alone.
  racelens::Thread daemon(racelens::ThreadOptions{.name = "daemon", .daemon = true},
                          [] { g_never->wait(); });
  daemon.start();
}

void StartDaemonWithChild() {
  racelens::Thread parent(racelens::ThreadOptions{.name = "daemon-parent", .daemon = true}, [] {
    auto* child = new racelens::Thread([] { g_never->wait(); });  // inherits daemon = true
    Keep(child);
    if (!child->daemon()) Say("error: child of a daemon thread is not a daemon");
    child->start();
    g_never->wait();
  });
  parent.start();
}

int Usage() {
  std::fprintf(stderr, "usage: exit_child join|exit|daemon|daemon-child|mixed|quick-exit\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return Usage();
  const std::string mode = argv[1];
  g_main_done = new racelens::Event("main_done");
  g_release = new racelens::Event("release");
  g_never = new racelens::Event("never");

  if (mode == "join") {
    StartJoinedWaiter();
    Say("main: returning");
    return 0;
  }
  if (mode == "exit") {
    StartJoinedWaiter();
    Say("main: calling exit");
    std::exit(0);
  }
  if (mode == "daemon") {
    StartBlockedDaemon();
    Say("main: returning");
    return 0;
  }
  if (mode == "daemon-static-event") {
    // A static Event (destroyed at exit) that a daemon thread still waits on. With
    // std::condition_variable inside Event, glibc's pthread_cond_destroy waited for the
    // sleeper and exit hung; the futex-based wait has nothing to wait for.
    static racelens::Event never_static{"never_static"};
    racelens::Thread daemon(racelens::ThreadOptions{.name = "daemon", .daemon = true},
                            [] { never_static.wait(); });
    daemon.start();
    Say("main: returning");
    return 0;
  }
  if (mode == "daemon-child") {
    StartDaemonWithChild();
    Say("main: returning");
    return 0;
  }
  if (mode == "mixed") {
    StartBlockedDaemon();
    StartJoinedWaiter();
    Say("main: returning");
    return 0;
  }
  if (mode == "quick-exit") {
    auto* blocked = Keep(new racelens::Thread(
        racelens::ThreadOptions{.name = "blocked", .daemon = false}, [] { g_never->wait(); }));
    blocked->start();
    Say("main: calling _Exit");
    std::_Exit(0);
  }
  return Usage();
}
