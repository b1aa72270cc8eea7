// A task of a one-worker executor submits another task to the same executor
// and waits for it; the only worker is busy waiting, so neither finishes:
//
//   executor = ThreadPoolExecutor(max_workers=1)
//   def inner():
//       return 42
//   def outer():
//       return executor.submit(inner).result()  # waits for a worker: itself
//   print(executor.submit(outer).result())
//
// Python hangs. racelens sees every thread blocked and reports a deadlock.
#include <racelens/futures.hpp>

#include <cstdio>

namespace {

racelens::ThreadPoolExecutor executor(1);

int inner() { return 42; }

int outer() {
  return executor.submit(inner).result();  // waits for a worker: itself
}

}  // namespace

int main() { std::printf("%d\n", executor.submit(outer).result()); }
