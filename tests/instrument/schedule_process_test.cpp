// tests/instrument/schedule_process_test.cpp — process pools and processes under the
// controlled scheduler.
//
// A pool's manager thread waits in poll() for its workers (other processes) and for
// submissions; Process.join waits in waitpid(). Under schedule=random these are external
// waits (racelens/detail/external_wait.hpp): the other threads of the process run
// meanwhile, the scheduler does not call the program stuck while a thread waits
// externally, and once the process has children its timeouts run their real length
// (AsyncResult.get(5) does not fire before the worker answers). Each child below
// runs under schedule=random for seeds 1..8 and must complete with correct results; a
// hang fails the test (RunChild's `timeout`). Nothing here depends on timing.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "racelens/racelens.hpp"
#include "support/child_run.hpp"
#include "support/processes.hpp"

namespace racelens {
namespace {

using testing::ChildRun;
using ::testing::HasSubstr;
using testing::RunChild;

int Square(int x) { return x * x; }

// Blocks until the parent writes to or closes the pipe (the child closes its own copy of
// the write end first): a child that outlives a timed join.
int WaitOnPipe(int read_fd, int write_fd) {
  ::close(write_fd);
  char byte = 0;
  return static_cast<int>(::read(read_fd, &byte, 1));
}

void Result(const char* name, bool ok, const std::string& detail) {
  std::printf("R %s %s %s\n", name, ok ? "ok" : "FAIL", detail.c_str());
  std::fflush(stdout);
}

// --- the child programs (run only by the parent tests below) -------------------

TEST(ScheduleProcessChild, DISABLED_PoolApply) {
  Pool pool(2);
  const int first = pool.apply(Square, 10);
  auto async = pool.apply_async(Square, 20);
  const int second = async.get(5);  // a timeout that must not fire: the worker answers
  pool.close();
  pool.join();
  Result("pool", first == 100 && second == 400,
         std::to_string(first) + " " + std::to_string(second));
}

// Another racelens thread works while the manager waits for the workers.
TEST(ScheduleProcessChild, DISABLED_ExecutorMapBesideAThread) {
  Lock lock;
  int counted = 0;
  Thread counter([&] {
    for (int i = 0; i < 50; ++i) {
      std::lock_guard guard(lock);
      ++counted;
    }
  });
  counter.start();
  std::vector<int> results;
  {
    ProcessPoolExecutor executor(2);
    for (int r : executor.map(Square, std::vector<int>{1, 2, 3, 4, 5, 6})) results.push_back(r);
  }
  counter.join();
  const bool ok = results == std::vector<int>{1, 4, 9, 16, 25, 36} && counted == 50;
  Result("map", ok, std::to_string(results.size()) + " " + std::to_string(counted));
}

// The manager waits in poll() while the only other thread sleeps: the sleep must end
// (the scheduler may not wait for the manager) and the next submission must reach it.
TEST(ScheduleProcessChild, DISABLED_SleepWhileTheManagerWaits) {
  ProcessPoolExecutor executor(1);
  const int first = executor.submit(Square, 3).result();
  racelens::sleep(1);
  const int second = executor.submit(Square, 4).result();
  Result("sleep", first == 9 && second == 16, std::to_string(first) + " " + std::to_string(second));
}

// join(timeout) on a child that does not end: returns after the timeout, alive.
TEST(ScheduleProcessChild, DISABLED_JoinTimeout) {
  testing::Pipe pipe;
  Process child(WaitOnPipe, pipe.read_fd(), pipe.write_fd());
  child.start();
  child.join(0.2);
  const bool alive_after_timeout = child.is_alive();
  pipe.close_write();  // the child reads end of file and returns
  child.join();
  Result("join", alive_after_timeout && child.exitcode() == 0,
         std::to_string(alive_after_timeout) + " " + std::to_string(*child.exitcode()));
}

// --- the parent tests -------------------------------------------------------------

std::string Seeded(int seed) { return "schedule=random:exitcode=0:seed=" + std::to_string(seed); }

void ExpectOkForSeeds(const char* child, const char* name) {
  for (int seed = 1; seed <= 8; ++seed) {
    const ChildRun run = RunChild(Seeded(seed), std::string("ScheduleProcessChild.") + child);
    ASSERT_EQ(run.status, 0) << "seed " << seed << ":\n" << run.all;
    EXPECT_THAT(run.output, HasSubstr(std::string("R ") + name + " ok")) << "seed " << seed << ":\n"
                                                                         << run.all;
  }
}

TEST(ScheduleProcessTest, PoolApplyCompletesAndItsTimeoutDoesNotFire) {
  ExpectOkForSeeds("DISABLED_PoolApply", "pool");
}

TEST(ScheduleProcessTest, OtherThreadsRunWhileTheManagerWaitsForWorkers) {
  ExpectOkForSeeds("DISABLED_ExecutorMapBesideAThread", "map");
}

TEST(ScheduleProcessTest, ASleepEndsWhileTheManagerWaitsInPoll) {
  ExpectOkForSeeds("DISABLED_SleepWhileTheManagerWaits", "sleep");
}

TEST(ScheduleProcessTest, ATimedJoinOfALiveChildReturnsAfterItsTimeout) {
  ExpectOkForSeeds("DISABLED_JoinTimeout", "join");
}

}  // namespace
}  // namespace racelens
