// multiprocessing.pool.ThreadPool.map, without and with `with`:
//
//   from multiprocessing.pool import ThreadPool
//   pool = ThreadPool(5)
//   print(pool.map(lambda x: x**2, range(5)))
//   with ThreadPool(5) as pool:
//       print(pool.map(lambda x: x**2, range(5)))
//
// A C++ scope is Python's `with`: leaving it calls terminate(), as __exit__ does.
#include <racelens/pool.hpp>

#include <cstdio>
#include <ranges>
#include <string>
#include <vector>

namespace {

void print(const std::vector<int>& values) {
  std::string line = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    line += (i == 0 ? "" : ", ") + std::to_string(values[i]);
  }
  std::printf("%s]\n", line.c_str());
}

}  // namespace

int main() {
  const auto square = [](int x) { return x * x; };
  racelens::ThreadPool pool(5);
  print(pool.map(square, std::views::iota(0, 5)));
  {
    racelens::ThreadPool pool(5);
    print(pool.map(square, std::views::iota(0, 5)));
  }
}
