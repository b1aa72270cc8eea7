// An RLock re-entered by its owner: nested `with rlock:` blocks in one
// thread, and a second thread that can only enter once every level is released.
//
//   rlock = threading.RLock()
//   def outer():
//       with rlock:
//           inner()
//   def inner():
//       with rlock:
//           print(threading.current_thread().name, "holds the lock twice")
#include <racelens/threading.hpp>

#include <cstdio>
#include <deque>
#include <mutex>

namespace {

racelens::RLock rlock{"rlock"};

void inner() {
  std::lock_guard with(rlock);
  std::printf("%s holds the lock %d times\n", racelens::current_thread().name().c_str(),
              rlock.recursion_count());
}

void outer() {
  std::lock_guard with(rlock);
  inner();
}

}  // namespace

int main() {
  std::deque<racelens::Thread> threads;
  for (int i = 0; i < 3; ++i) threads.emplace_back(outer);
  for (auto& t : threads) t.start();
  for (auto& t : threads) t.join();
  // Every acquire was matched by a release: the lock is free again.
  const bool free_again = rlock.acquire(false);
  if (free_again) rlock.release();
  std::printf("released every level: %s\n", free_again ? "True" : "False");
  return free_again ? 0 : 1;
}
