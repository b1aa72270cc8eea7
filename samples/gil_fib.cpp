// Python's GIL lets only one thread run Python code at a time, so two threads
// computing fib(35) take as long as one thread computing it twice. C++ threads
// really run in parallel: hasthread() takes about half of nothread() on two cores.
//
//   def fib(n):
//       if n <= 2:
//           return 1
//       return fib(n - 1) + fib(n - 2)
//   @timethis
//   def nothread():
//       fib(35)
//       fib(35)
//   @timethis
//   def hasthread():
//       for i in range(2):
//           t = threading.Thread(target=fib, args=(35,))
//           t.start()
//       main_thread = threading.current_thread()
//       for t in threading.enumerate():
//           if t is main_thread:
//               continue
//           t.join()
//   nothread()
//   hasthread()
#include <racelens/threading.hpp>

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
}

void nothread() {
  fib_task(35);
  fib_task(35);
}

void hasthread() {
  std::deque<racelens::Thread> threads;
  for (int i = 0; i < 2; ++i) {
    racelens::Thread& t = threads.emplace_back(fib_task, 35);
    t.start();
  }
  const racelens::ThreadHandle main_thread = racelens::current_thread();
  for (racelens::ThreadHandle t : racelens::enumerate()) {
    if (t == main_thread) continue;
    t.join();
  }
}

}  // namespace

int main() {
  timethis("nothread", nothread);
  timethis("hasthread", hasthread);
}
