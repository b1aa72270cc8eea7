// Two threads take the same two locks in opposite orders:
//
//   lock_a = threading.Lock()
//   lock_b = threading.Lock()
//   def a_then_b():
//       with lock_a:
//           with lock_b:
//               print('a then b')
//   def b_then_a():
//       with lock_b:
//           with lock_a:
//               print('b then a')
//
// Had both threads each taken their first lock at the same moment, neither
// could go on: a deadlock that usually does not happen. Here the second thread
// starts after the first has finished, so it never does — and racelens still
// reports the lock-order inversion, because the two orders can deadlock.
#include <racelens/threading.hpp>

#include <cstdio>
#include <mutex>

namespace {

racelens::Lock lock_a{"lock_a"};
racelens::Lock lock_b{"lock_b"};

void a_then_b() {
  std::lock_guard with_a(lock_a);
  std::lock_guard with_b(lock_b);
  std::printf("a then b\n");
}

void b_then_a() {
  std::lock_guard with_b(lock_b);
  std::lock_guard with_a(lock_a);
  std::printf("b then a\n");
}

}  // namespace

int main() {
  racelens::Thread first(a_then_b);
  first.start();
  first.join();
  racelens::Thread second(b_then_a);
  second.start();
  second.join();
}
