// Semaphore(3): five threads each sleep a random time inside `with sema:`;
// no more than three are ever inside at once.
//
//   sema = threading.Semaphore(3)
//   def worker(i):
//       with sema:
//           print(f"worker {i} in")
//           time.sleep(random.random() / 10)
//           print(f"worker {i} out")
#include <racelens/random.hpp>
#include <racelens/threading.hpp>

#include <atomic>
#include <cstdio>
#include <deque>
#include <mutex>

namespace {

racelens::Semaphore sema{3, "sema"};
std::atomic<int> inside{0};
std::atomic<int> most_inside{0};

void worker(int i, double pause) {
  std::lock_guard with(sema);
  const int now = ++inside;
  int seen = most_inside.load();
  while (now > seen && !most_inside.compare_exchange_weak(seen, now)) {
  }
  std::printf("worker %d in\n", i);
  racelens::sleep(pause);
  std::printf("worker %d out\n", i);
  --inside;
}

}  // namespace

int main() {
  std::deque<racelens::Thread> threads;
  for (int i = 0; i < 5; ++i) threads.emplace_back(worker, i, racelens::random() / 10);
  for (auto& t : threads) t.start();
  for (auto& t : threads) t.join();
  std::printf("at most %d threads were inside at once\n", most_inside.load());
  return most_inside.load() <= 3 ? 0 : 1;
}
