// Must not compile: a process pool task whose callable captures state (it cannot be sent to a
// forked worker). With -DRACELENS_EXPECT_OK the same program with a captureless lambda compiles.
#include "racelens/process_executor.hpp"

int main() {
  racelens::ProcessPoolExecutor executor(1);
#ifdef RACELENS_EXPECT_OK
  auto future = executor.submit([](int x) { return x + 1; }, 41);
#else
  int offset = 1;
  auto future = executor.submit([offset](int x) { return x + offset; }, 41);
#endif
  return future.result() == 42 ? 0 : 1;
}
