// nlock.py: 100 threads each add one to a shared value with no lock, pausing
// between the read and the write; most updates are lost.
//
//   value = 0
//   def getlock():
//       global value
//       new = value + 1
//       time.sleep(0.001)
//       value = new
//   threads = []
//   for i in range(100):
//       t = threading.Thread(target=getlock)
//       t.start()
//       threads.append(t)
//   for t in threads:
//       t.join()
//   print(value)
//
// racelens reports a data race on `value`; the checker flags the write.
#include <racelens/shared.hpp>
#include <racelens/threading.hpp>

#include <cstdio>
#include <deque>

namespace {

racelens::Shared<int> value{0, "value"};

void getlock() {
  const int new_value = value + 1;
  racelens::sleep(0.001);
  value = new_value;
}

}  // namespace

int main() {
  std::deque<racelens::Thread> threads;
  for (int i = 0; i < 100; ++i) {
    racelens::Thread& t = threads.emplace_back(getlock);
    t.start();
  }
  for (auto& t : threads) t.join();
  std::printf("%d\n", value.load());
}
