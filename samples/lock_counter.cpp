// lock.py: 100 threads each add one to a shared value under `with lock:`,
// pausing between the read and the write; the lock keeps every update.
//
//   value = 0
//   lock = threading.Lock()
//   def getlock():
//       global value
//       with lock:
//           new = value + 1
//           time.sleep(0.001)
//           value = new
//   threads = [threading.Thread(target=getlock) for i in range(100)]
//   for t in threads: t.start()
//   for t in threads: t.join()
//   print(value)
#include <racelens/shared.hpp>
#include <racelens/threading.hpp>

#include <cstdio>
#include <deque>
#include <mutex>

namespace {

racelens::Shared<int> value{0, "value"};
racelens::Lock lock{"lock"};

void getlock() {
  std::lock_guard with(lock);
  const int new_value = value + 1;
  racelens::sleep(0.001);
  value = new_value;
}

}  // namespace

int main() {
  std::deque<racelens::Thread> threads;
  for (int i = 0; i < 100; ++i) threads.emplace_back(getlock);
  for (auto& t : threads) t.start();
  for (auto& t : threads) t.join();
  std::printf("%d\n", value.load());
  return value.load() == 100 ? 0 : 1;
}
