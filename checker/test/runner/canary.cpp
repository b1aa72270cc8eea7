// The canary: the unlocked counter, which racelens-unguarded-shared-write must always flag.
#include <racelens_mocks.h>

int value = 0;
void getlock() { value = value + 1; }
int main() {
  std::deque<racelens::Thread> threads;
  for (int i = 0; i < 100; ++i) threads.emplace_back(getlock);
  for (auto& t : threads) t.start();
  for (auto& t : threads) t.join();
}
