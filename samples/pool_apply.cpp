// A process pool's life cycle: apply, apply_async, close() then join(); and
// the mistake of join() before close():
//
//   def f(x):
//       return x * x
//   pool = Pool(3)
//   print(pool.apply(f, (10,)))
//   r = pool.apply_async(f, (20,))
//   print(r.get(timeout=1))
//   pool.close()
//   pool.join()
//
//   pool = Pool(3)
//   try:
//       pool.join()       # the mistake: the pool is still running
//   except ValueError as e:
//       print(e)
//   pool.close()
//   pool.join()
//
// The mistake raises ValueError("Pool is still running"); racelens reports it
// as a misuse, and the checker flags the join().
#include <racelens/errors.hpp>
#include <racelens/pool.hpp>

#include <cstdio>

namespace {

int f(int x) { return x * x; }

}  // namespace

int main() {
  {
    racelens::Pool pool(3);
    std::printf("%d\n", pool.apply(f, 10));
    auto r = pool.apply_async(f, 20);
    std::printf("%d\n", r.get(1));
    pool.close();
    pool.join();
  }
  {
    racelens::Pool pool(3);
    try {
      pool.join();  // the mistake: the pool is still running
    } catch (const racelens::ValueError& e) {
      std::printf("%s\n", e.what());
    }
    pool.close();
    pool.join();
  }
}
