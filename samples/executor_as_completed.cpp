// Exceptions through futures: fib(34) raises; submit + as_completed with
// result() in try/except, then the same through map.
//
//   NUMBERS = range(30, 35)
//   def fib(n):
//       if n == 34:
//           raise Exception("Don't do this")
//       return n if n < 2 else fib(n - 1) + fib(n - 2)
//   with ThreadPoolExecutor(max_workers=3) as executor:
//       future_to_num = {executor.submit(fib, num): num for num in NUMBERS}
//       for future in as_completed(future_to_num):
//           num = future_to_num[future]
//           try:
//               result = future.result()
//           except Exception as e:
//               print('raise an exception: {}'.format(e))
//           else:
//               print('fib({}) = {}'.format(num, result))
//   with ThreadPoolExecutor(max_workers=3) as executor:
//       try:
//           for num, result in zip(NUMBERS, executor.map(fib, NUMBERS)):
//               print('fib({}) = {}'.format(num, result))
//       except Exception as e:
//           print('raise an exception: {}'.format(e))
//
// map re-raises the failing element's exception when the loop reaches it; the
// original lets it end the program, here it is caught and printed as above.
#include <racelens/futures.hpp>

#include <cstdio>
#include <map>
#include <stdexcept>
#include <vector>

namespace {

constexpr int FIRST = 30;
constexpr int LAST = 35;  // range(30, 35)

// Not inlined: GCC inlined into a caller computes fib without the exponential recursion
// (with -fno-optimize-sibling-calls), and the timings would compare nothing.
[[gnu::noinline]] long fib_(int n) { return n < 2 ? n : fib_(n - 1) + fib_(n - 2); }

long fib(int n) {
  if (n == 34) throw std::runtime_error("Don't do this");
  return fib_(n);
}

}  // namespace

int main() {
  {
    racelens::ThreadPoolExecutor executor(3);
    std::map<racelens::Future<long>, int> future_to_num;
    for (int num = FIRST; num < LAST; ++num) future_to_num.emplace(executor.submit(fib, num), num);
    std::vector<racelens::Future<long>> futures;
    for (const auto& [future, num] : future_to_num) futures.push_back(future);
    for (racelens::Future<long> future : racelens::as_completed(futures)) {
      const int num = future_to_num.at(future);
      try {
        const long result = future.result();
        std::printf("fib(%d) = %ld\n", num, result);
      } catch (const std::exception& e) {
        std::printf("raise an exception: %s\n", e.what());
      }
    }
  }
  {
    racelens::ThreadPoolExecutor executor(3);
    std::vector<int> numbers;
    for (int num = FIRST; num < LAST; ++num) numbers.push_back(num);
    try {
      std::size_t i = 0;
      for (long result : executor.map(fib, numbers)) {
        std::printf("fib(%d) = %ld\n", numbers[i++], result);
      }
    } catch (const std::exception& e) {
      std::printf("raise an exception: %s\n", e.what());
    }
  }
}
