// Two processes computing fib(35) at once against one process computing it
// twice, each timed (the multiprocessing twin of gil_fib):
//
//   from multiprocessing import Process
//   def fib(n):
//       if n <= 2:
//           return 1
//       return fib(n - 1) + fib(n - 2)
//   @timethis
//   def nomultiprocess():
//       fib(35)
//       fib(35)
//   @timethis
//   def hasmultiprocess():
//       jobs = []
//       for i in range(2):
//           p = Process(target=fib, args=(35,))
//           p.start()
//           jobs.append(p)
//       for p in jobs:
//           p.join()
//   nomultiprocess()
//   hasmultiprocess()
#include <racelens/process.hpp>

#include <chrono>
#include <cstdio>
#include <deque>

namespace {

// Not inlined: GCC inlined into a caller computes fib without the exponential recursion
// (with -fno-optimize-sibling-calls), and the timings would compare nothing.
[[gnu::noinline]] long fib(int n) {
  if (n <= 2) return 1;
  return fib(n - 1) + fib(n - 2);
}

void fib_task(int n) {
  asm volatile("" : "+r"(n));  // n is opaque: the compiler may not compute fib(35) itself
  long result = fib(n);
  asm volatile("" : "+r"(result));  // nor drop the unused result
}

template <class F>
void timethis(const char* name, F func) {
  const auto start = std::chrono::steady_clock::now();
  func();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  std::printf("__main__.%s : %.4f\n", name, elapsed.count());
  std::fflush(stdout);
}

void nomultiprocess() {
  fib_task(35);
  fib_task(35);
}

void hasmultiprocess() {
  std::deque<racelens::Process> jobs;
  for (int i = 0; i < 2; ++i) {
    racelens::Process& p = jobs.emplace_back(fib_task, 35);
    p.start();
  }
  for (auto& p : jobs) p.join();
}

}  // namespace

int main() {
  timethis("nomultiprocess", nomultiprocess);
  timethis("hasmultiprocess", hasmultiprocess);
}
