// Test cases for racelens-pool-join-before-close (run by check_expectations.py).
// Expectation markers must stay on their lines: clang-format must not rewrap them.
// clang-format off
#include <racelens_mocks.h>

int square(int x);
bool failed();
void finish(racelens::Pool& pool);
std::vector<int> inputs;

// case bad: the pool_apply sample's mistake: join() without close()
namespace b1 {
void run() {
  racelens::Pool pool(3);
  pool.apply_async(square, 2);
  pool.join();  // expect-warning: 'pool' is joined while it may still be running
}
}  // namespace b1

// case bad: a ThreadPool
namespace b2 {
void run() {
  racelens::ThreadPool pool(5);
  pool.map(square, inputs);
  pool.join();  // expect-warning: 'pool' is joined
}
}  // namespace b2

// case bad: multiprocessing.dummy.Pool
namespace b3 {
void run() {
  racelens::dummy::Pool pool(4);
  pool.join();  // expect-warning: 'pool' is joined
}
}  // namespace b3

// case bad: closed on one branch only
namespace b4 {
void run(bool tidy) {
  racelens::Pool pool(2);
  if (tidy) pool.close();
  pool.join();  // expect-warning: 'pool' is joined
}
}  // namespace b4

// case bad: closed after the join
namespace b5 {
void run() {
  racelens::Pool pool(2);
  pool.join();  // expect-warning: 'pool' is joined
  pool.close();
}
}  // namespace b5

// case bad: a global pool nobody closes
namespace b6 {
racelens::Pool workers(4);
void run() {
  workers.apply(square, 3);
  workers.join();  // expect-warning: 'workers' is joined
}
}  // namespace b6

// case bad: a member pool nobody closes
namespace b7 {
class Service {
  racelens::ThreadPool pool_{2};

 public:
  void stop() {
    pool_.join();  // expect-warning: 'pool_' is joined
  }
};
}  // namespace b7

// case bad: a pool per loop iteration
namespace b8 {
void run(int rounds) {
  for (int i = 0; i < rounds; ++i) {
    racelens::Pool pool(2);
    pool.map(square, inputs);
    pool.join();  // expect-warning: 'pool' is joined
  }
}
}  // namespace b8

// case bad: another pool was terminated
namespace b9 {
void run() {
  racelens::Pool a(1), b(1);
  a.terminate();
  a.join();
  b.join();  // expect-warning: 'b' is joined
}
}  // namespace b9

// case bad: inside a lambda
namespace b10 {
auto job = [] {
  racelens::ThreadPool pool(2);
  pool.join();  // expect-warning: 'pool' is joined
};
}  // namespace b10

// case bad: a close in a loop that may not run
namespace b11 {
void run(int n) {
  racelens::Pool pool(2);
  for (int i = 0; i < n; ++i) pool.close();
  pool.join();  // expect-warning: 'pool' is joined
}
}  // namespace b11

// case bad: closed in the handler only
namespace b12 {
void run() {
  racelens::Pool pool(2);
  try {
    pool.apply(square, 1);
  } catch (...) {
    pool.close();
  }
  pool.join();  // expect-warning: 'pool' is joined
}
}  // namespace b12

// case bad: apply on a ThreadPool, then join
namespace b13 {
int run() {
  racelens::ThreadPool pool(3);
  const int r = pool.apply(square, 7);
  pool.join();  // expect-warning: 'pool' is joined
  return r;
}
}  // namespace b13

// case bad: a pool member of a global nobody closes
namespace b14 {
struct App {
  racelens::Pool pool{2};
};
App app;
void shutdown() {
  app.pool.join();  // expect-warning: 'app.pool' is joined
}
}  // namespace b14

// case bad: a different pool was closed
namespace b15 {
void run() {
  racelens::ThreadPool io(2), cpu(2);
  io.close();
  io.join();
  cpu.join();  // expect-warning: 'cpu' is joined
}
}  // namespace b15

// case good: close, then join
namespace g1 {
void run() {
  racelens::Pool pool(3);
  pool.apply_async(square, 2);
  pool.close();
  pool.join();
}
}  // namespace g1

// case good: terminate, then join
namespace g2 {
void run() {
  racelens::Pool pool(3);
  pool.terminate();
  pool.join();
}
}  // namespace g2

// case good: closed on both branches
namespace g3 {
void run(bool now) {
  racelens::Pool pool(2);
  if (now)
    pool.terminate();
  else
    pool.close();
  pool.join();
}
}  // namespace g3

// case good: handed to a function that may close it
namespace g4 {
void run() {
  racelens::Pool pool(2);
  finish(pool);
  pool.join();
}
}  // namespace g4

// case good: a global pool closed elsewhere
namespace g5 {
racelens::Pool workers(4);
void stop() { workers.close(); }
void wait() { workers.join(); }
}  // namespace g5

// case good: a member pool closed by another member function
namespace g6 {
class Service {
  racelens::ThreadPool pool_{2};

 public:
  void close() { pool_.close(); }
  void wait() { pool_.join(); }
};
}  // namespace g6

// case good: a parameter (the caller closes it)
namespace g7 {
void wait_for(racelens::Pool& pool) { pool.join(); }
}  // namespace g7

// case good: no join at all (the destructor terminates)
namespace g8 {
void run() {
  racelens::Pool pool(2);
  pool.map(square, inputs);
}
}  // namespace g8

// case good: dummy::Pool closed then joined
namespace g9 {
void run() {
  racelens::dummy::Pool pool(13);
  pool.map(square, inputs);
  pool.close();
  pool.join();
}
}  // namespace g9

// case good: ThreadPool terminated then joined
namespace g10 {
void run() {
  racelens::ThreadPool pool(2);
  pool.terminate();
  pool.join();
}
}  // namespace g10

// case good: join of a Thread
namespace g11 {
void run() {
  racelens::Thread t(square, 1);
  t.start();
  t.join();
}
}  // namespace g11

// case good: join of a Queue
namespace g12 {
racelens::Queue<int> q;
void run() { q.join(); }
}  // namespace g12

// case good: through a pointer, closed and joined
namespace g13 {
void run(racelens::Pool* pool) {
  pool->close();
  pool->join();
}
}  // namespace g13

// case good: an early return skips the join
namespace g14 {
void run() {
  racelens::Pool pool(2);
  if (failed()) return;
  pool.close();
  pool.join();
}
}  // namespace g14

// case good: closed in both try and catch
namespace g15 {
void run() {
  racelens::Pool pool(2);
  try {
    pool.apply(square, 1);
    pool.close();
  } catch (...) {
    pool.terminate();
  }
  pool.join();
}
}  // namespace g15
