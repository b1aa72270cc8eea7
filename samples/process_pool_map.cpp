// multiprocessing.Pool.map over two processes:
//
//   from multiprocessing import Pool
//   def fib(n):
//       if n <= 2:
//           return 1
//       return fib(n - 1) + fib(n - 2)
//   with Pool(2) as pool:
//       print(pool.map(fib, [35] * 2))
//
// A C++ scope is Python's `with`: leaving it calls terminate(), as __exit__ does.
#include <racelens/pool.hpp>

#include <cstdio>
#include <vector>

namespace {

// Not inlined: GCC inlined into a caller computes fib without the exponential recursion
// (with -fno-optimize-sibling-calls), and the timings would compare nothing.
[[gnu::noinline]] long fib(int n) {
  if (n <= 2) return 1;
  return fib(n - 1) + fib(n - 2);
}

}  // namespace

int main() {
  racelens::Pool pool(2);
  const std::vector<long> results = pool.map(fib, std::vector<int>(2, 35));
  std::printf("[%ld, %ld]\n", results[0], results[1]);
}
