// ForkSafeSpinLock: the lock beside each primitive's vector clock. It excludes like any lock,
// and a child forked while another thread held it takes it over instead of waiting for ever.
#include "runtime/fork_safe_spin_lock.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <thread>

namespace racelens::detail {
namespace {

TEST(ForkSafeSpinLockTest, ExcludesOtherThreads) {
  ForkSafeSpinLock lock;
  long counter = 0;  // plain: ThreadSanitizer checks the lock orders the increments
  std::atomic<int> taken_over{0};
  const auto work = [&] {
    for (int i = 0; i < 100000; ++i) {
      if (lock.Lock()) taken_over.fetch_add(1);
      ++counter;
      lock.Unlock();
    }
  };
  std::thread other(work);
  work();
  other.join();
  EXPECT_EQ(counter, 200000);
  EXPECT_EQ(taken_over.load(), 0) << "no fork happened: nothing to take over";
}

TEST(ForkSafeSpinLockTest, AChildTakesOverALockAThreadOfItsParentHeld) {
  ForkSafeSpinLock lock;
  std::atomic<bool> held{false};
  std::atomic<bool> release{false};
  std::thread holder([&] {
    EXPECT_FALSE(lock.Lock());
    held.store(true);
    while (!release.load()) std::this_thread::yield();
    lock.Unlock();
  });
  while (!held.load()) std::this_thread::yield();
  const std::uint32_t parent_generation = ForkGeneration();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // The holder does not exist here: the lock is taken over, then behaves as usual.
    const bool taken_over = lock.Lock();
    lock.Unlock();
    const bool again = lock.Lock();
    lock.Unlock();
    const bool next_generation = ForkGeneration() == parent_generation + 1;
    ::_exit(taken_over && !again && next_generation ? 0 : 1);
  }
  int status = -1;
  const pid_t waited = ::waitpid(pid, &status, 0);
  release.store(true);
  holder.join();
  ASSERT_EQ(waited, pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(ForkGeneration(), parent_generation) << "only the child starts a generation";
  EXPECT_FALSE(lock.Lock()) << "the parent's holder released it";
  lock.Unlock();
}

}  // namespace
}  // namespace racelens::detail
