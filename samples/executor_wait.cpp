// concurrent.futures.wait with each return_when mode:
//
//   def fib(n):
//       if n == 34:
//           raise Exception("Don't do this")
//       return n if n < 2 else fib(n - 1) + fib(n - 2)
//   with ThreadPoolExecutor(max_workers=3) as executor:
//       for return_when in (FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED):
//           fs = [executor.submit(fib, n) for n in range(30, 35)]
//           done, not_done = wait(fs, return_when=return_when)
//           print('{}: {} done, {} not done'.format(return_when, len(done), len(not_done)))
//
// FIRST_COMPLETED returns once any future is done, FIRST_EXCEPTION once fib(34)
// has raised (or all are done), ALL_COMPLETED once every future is done.
#include <racelens/futures.hpp>

#include <cstdio>
#include <stdexcept>
#include <utility>
#include <vector>

namespace {

// Not inlined: GCC inlined into a caller computes fib without the exponential recursion
// (with -fno-optimize-sibling-calls), and the timings would compare nothing.
[[gnu::noinline]] long fib_(int n) { return n < 2 ? n : fib_(n - 1) + fib_(n - 2); }

long fib(int n) {
  if (n == 34) throw std::runtime_error("Don't do this");
  return fib_(n);
}

}  // namespace

int main() {
  racelens::ThreadPoolExecutor executor(3);
  const std::pair<const char*, racelens::ReturnWhen> modes[] = {
      {"FIRST_COMPLETED", racelens::FIRST_COMPLETED},
      {"FIRST_EXCEPTION", racelens::FIRST_EXCEPTION},
      {"ALL_COMPLETED", racelens::ALL_COMPLETED}};
  for (const auto& [name, return_when] : modes) {
    std::vector<racelens::Future<long>> fs;
    for (int n = 30; n < 35; ++n) fs.push_back(executor.submit(fib, n));
    const auto [done, not_done] = racelens::wait(fs, -1, return_when);
    std::printf("%s: %zu done, %zu not done\n", name, done.size(), not_done.size());
    if (return_when == racelens::ALL_COMPLETED && !not_done.empty()) return 1;
  }
}
