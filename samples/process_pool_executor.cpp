// ProcessPoolExecutor.map over three worker processes, timed:
//
//   NUMBERS = range(25, 38)
//   def fib(n):
//       if n <= 2:
//           return 1
//       return fib(n - 1) + fib(n - 2)
//   def main():
//       with ProcessPoolExecutor(max_workers=3) as executor:
//           start = time.time()
//           for num, result in zip(NUMBERS, executor.map(fib, NUMBERS)):
//               print('fib({}) = {}'.format(num, result))
//           print('COST: {}'.format(time.time() - start))
#include <racelens/process_executor.hpp>

#include <chrono>
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
  std::vector<int> numbers;
  for (int n = 25; n < 38; ++n) numbers.push_back(n);
  racelens::ProcessPoolExecutor executor(3);
  const auto start = std::chrono::steady_clock::now();
  std::size_t i = 0;
  for (long result : executor.map(fib, numbers)) {
    std::printf("fib(%d) = %ld\n", numbers[i++], result);
  }
  const std::chrono::duration<double> cost = std::chrono::steady_clock::now() - start;
  std::printf("COST: %.4f\n", cost.count());
}
