// Test cases for racelens-executor-self-wait (run by check_expectations.py).
// Expectation markers must stay on their lines: clang-format must not rewrap them.
// clang-format off
#include <racelens_mocks.h>

int fib(int n);
std::vector<int> inputs;

// case bad: the executor_self_wait sample: a task waits for a task of its own executor
namespace b1 {
void run() {
  racelens::ThreadPoolExecutor executor(1);
  executor.submit([&executor] {  // expect-note: the waiting task is submitted to 'executor' here
    return executor.submit(fib, 20).result();  // expect-warning: a task of 'executor' waits for another task of 'executor'
  });
}
}  // namespace b1

// case bad: the future kept in a local first
namespace b2 {
void run() {
  racelens::ThreadPoolExecutor executor(2);
  executor.submit([&] {
    auto future = executor.submit(fib, 10);
    return future.result();  // expect-warning: a task of 'executor' waits
  });
}
}  // namespace b2

// case bad: wait() on the future
namespace b3 {
void run() {
  racelens::ThreadPoolExecutor executor(2);
  executor.submit([&] {
    auto future = executor.submit(fib, 10);
    future.wait();  // expect-warning: a task of 'executor' waits
  });
}
}  // namespace b3

// case bad: a global executor and a named task function
namespace b4 {
racelens::ThreadPoolExecutor pool(4);
int task(int n) { return pool.submit(fib, n).result(); }  // expect-warning: a task of 'pool' waits
void run() { pool.submit(task, 30); }
}  // namespace b4

// case bad: the wait is in a helper the task calls
namespace b5 {
racelens::ThreadPoolExecutor pool(2);
int helper() {
  return pool.submit(fib, 5).result();  // expect-warning: a task of 'pool' waits
}
int task() { return helper() + 1; }
void run() { pool.submit(task); }
}  // namespace b5

// case bad: a member executor and a lambda capturing this
namespace b6 {
class Service {
  racelens::ThreadPoolExecutor executor_{1};

 public:
  void start() {
    executor_.submit([this] {
      return executor_.submit(fib, 3).result();  // expect-warning: a task of 'executor_' waits
    });
  }
};
}  // namespace b6

// case bad: a ProcessPoolExecutor
namespace b7 {
racelens::ProcessPoolExecutor procs(2);
int task() { return procs.submit(fib, 30).result(); }  // expect-warning: a task of 'procs' waits
void run() { procs.submit(task); }
}  // namespace b7

// case bad: Pool.apply_async(...).get() inside a pool task
namespace b8 {
racelens::Pool pool(3);
int task(int n) { return pool.apply_async(fib, n).get(); }  // expect-warning: a task of 'pool' waits
void run() { pool.apply_async(task, 3); }
}  // namespace b8

// case bad: Pool.apply() (synchronous) inside a pool task
namespace b9 {
racelens::Pool pool(3);
int task(int n) { return pool.apply(fib, n); }  // expect-warning: a task of 'pool' waits
void run() { pool.apply_async(task, 3); }
}  // namespace b9

// case bad: ThreadPool apply_async(...).wait()
namespace b10 {
racelens::ThreadPool pool(2);
void task() {
  auto r = pool.apply_async(fib, 1);
  r.wait();  // expect-warning: a task of 'pool' waits
}
void run() { pool.apply_async(task); }
}  // namespace b10

// case bad: the task is run by executor.map
namespace b11 {
racelens::ThreadPoolExecutor pool(2);
int task(int n) { return pool.submit(fib, n).result(); }  // expect-warning: a task of 'pool' waits
void run() { pool.map(task, inputs); }
}  // namespace b11

// case bad: Pool.map whose function calls apply on the same pool
namespace b12 {
racelens::Pool pool(2);
int task(int n) { return pool.apply(fib, n); }  // expect-warning: a task of 'pool' waits
void run() { pool.map(task, inputs); }
}  // namespace b12

// case bad: result with a timeout still blocks a worker
namespace b13 {
racelens::ThreadPoolExecutor pool(1);
int task() { return pool.submit(fib, 2).result(10.0); }  // expect-warning: a task of 'pool' waits
void run() { pool.submit(task); }
}  // namespace b13

// case bad: the future copied before waiting
namespace b14 {
racelens::ThreadPoolExecutor pool(1);
int task() {
  auto first = pool.submit(fib, 2);
  auto copy = first;
  return copy.result();  // expect-warning: a task of 'pool' waits
}
void run() { pool.submit(task); }
}  // namespace b14

// case bad: ThreadPool.apply inside a ThreadPool.map task
namespace b15 {
racelens::ThreadPool pool(2);
int task(int n) { return pool.apply(fib, n); }  // expect-warning: a task of 'pool' waits
void run() { pool.map(task, inputs); }
}  // namespace b15

// case good: the main thread waits on the futures
namespace g1 {
int run() {
  racelens::ThreadPoolExecutor executor(2);
  auto future = executor.submit(fib, 30);
  return future.result();
}
}  // namespace g1

// case good: the task waits on another executor
namespace g2 {
racelens::ThreadPoolExecutor outer(1), inner(1);
int task() { return inner.submit(fib, 3).result(); }
void run() { outer.submit(task); }
}  // namespace g2

// case good: the task submits without waiting
namespace g3 {
racelens::ThreadPoolExecutor pool(1);
void task() { pool.submit(fib, 3); }
void run() { pool.submit(task); }
}  // namespace g3

// case good: a future of another executor kept in a global
namespace g4 {
racelens::ThreadPoolExecutor a(1), b(1);
racelens::Future<int> pending = b.submit(fib, 1);
int task() { return pending.result(); }
void run() { a.submit(task); }
}  // namespace g4

// case good: a pool task applies on another pool
namespace g5 {
racelens::Pool cpu(2), io(2);
int task(int n) { return io.apply(fib, n); }
void run() { cpu.apply_async(task, 1); }
}  // namespace g5

// case good: shutdown only
namespace g6 {
void run() {
  racelens::ThreadPoolExecutor pool(2);
  pool.submit(fib, 1);
  pool.shutdown();
}
}  // namespace g6

// case good: a std::async future inside a task
namespace g7 {
racelens::ThreadPoolExecutor pool(1);
int task() { return std::async(fib, 3).get(); }
void run() { pool.submit(task); }
}  // namespace g7

// case good: an executor created inside the task
namespace g8 {
racelens::ThreadPoolExecutor pool(1);
int task() {
  racelens::ThreadPoolExecutor local(1);
  return local.submit(fib, 3).result();
}
void run() { pool.submit(task); }
}  // namespace g8

// case good: polling done() does not block
namespace g9 {
racelens::ThreadPoolExecutor pool(1);
bool task() { return pool.submit(fib, 3).done(); }
void run() { pool.submit(task); }
}  // namespace g9

// case good: a process pool task waits on a thread pool
namespace g10 {
racelens::ProcessPoolExecutor procs(2);
racelens::ThreadPoolExecutor threads(2);
int task() { return threads.submit(fib, 3).result(); }
void run() { procs.submit(task); }
}  // namespace g10

// case good: a Queue get inside a task
namespace g11 {
racelens::ThreadPoolExecutor pool(1);
racelens::Queue<int> queue;
int task() { return queue.get(); }
void run() { pool.submit(task); }
}  // namespace g11

// case good: a function that waits but is never submitted
namespace g12 {
racelens::ThreadPoolExecutor pool(1);
int collect() { return pool.submit(fib, 3).result(); }
}  // namespace g12

// case good: map on a pool from the main thread
namespace g13 {
void run() {
  racelens::Pool pool(2);
  pool.map(fib, inputs);
  pool.close();
  pool.join();
}
}  // namespace g13

// case good: ready() does not block
namespace g14 {
racelens::Pool pool(2);
bool task() { return pool.apply_async(fib, 1).ready(); }
void run() { pool.apply_async(task); }
}  // namespace g14

// case good: an Event wait inside a task
namespace g15 {
racelens::ThreadPoolExecutor pool(1);
racelens::Event go;
void task() { go.wait(); }
void run() { pool.submit(task); }
}  // namespace g15
