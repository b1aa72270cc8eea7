// Must not compile: an mp::Queue of raw pointers (a pointer means nothing in another process).
// With -DRACELENS_EXPECT_OK the same program with a queue of values compiles.
#include "racelens/mp_queue.hpp"

int main() {
  int x = 42;
#ifdef RACELENS_EXPECT_OK
  racelens::mp::Queue<int> queue;
  queue.put(x);
  return queue.get() == 42 ? 0 : 1;
#else
  racelens::mp::Queue<int*> queue;
  queue.put(&x);
  return *queue.get() == 42 ? 0 : 1;
#endif
}
