// demo_executor_map.py (Fluent Python): Executor.map returns results in input
// order, lazily, each one as soon as it and those before it are done.
//
//   def display(*args):
//       print(strftime('[%H:%M:%S]'), end=' ')
//       print(*args)
//   def loiter(n):
//       msg = '{}loiter({}): doing nothing for {}s...'
//       display(msg.format('\t'*n, n, n))
//       sleep(n)
//       msg = '{}loiter({}): done.'
//       display(msg.format('\t'*n, n))
//       return n * 10
//   def main():
//       display('Script starting.')
//       executor = futures.ThreadPoolExecutor(max_workers=3)
//       results = executor.map(loiter, range(5))
//       display('results:', results)
//       display('Waiting for individual results:')
//       for i, result in enumerate(results):
//           display('result {}: {}'.format(i, result))
//
// One "second" of loitering is SECOND (0.1 s) here, so the run takes under a second.
#include <racelens/futures.hpp>
#include <racelens/threading.hpp>

#include <cstdio>
#include <ctime>
#include <mutex>
#include <ranges>
#include <string>

namespace {

constexpr double SECOND = 0.1;

racelens::Lock print_lock{"print_lock"};  // one line at a time, as print() writes it

void display(const std::string& text) {
  char stamp[16];
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  std::strftime(stamp, sizeof stamp, "[%H:%M:%S]", &local);
  std::lock_guard with(print_lock);
  std::printf("%s %s\n", stamp, text.c_str());
  std::fflush(stdout);
}

int loiter(int n) {
  const std::string tabs(static_cast<std::size_t>(n), '\t');
  display(tabs + "loiter(" + std::to_string(n) + "): doing nothing for " + std::to_string(n) +
          "s...");
  racelens::sleep(n * SECOND);
  display(tabs + "loiter(" + std::to_string(n) + "): done.");
  return n * 10;
}

}  // namespace

int main() {
  display("Script starting.");
  racelens::ThreadPoolExecutor executor(3);
  auto results = executor.map(loiter, std::views::iota(0, 5));
  display("results: <generator object Executor.map.<locals>.result_iterator>");
  display("Waiting for individual results:");
  int i = 0;
  for (int result : results) {
    display("result " + std::to_string(i++) + ": " + std::to_string(result));
  }
}
