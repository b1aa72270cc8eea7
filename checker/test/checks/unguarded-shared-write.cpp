// Test cases for racelens-unguarded-shared-write (run by check_expectations.py).
// Expectation markers must stay on their lines: clang-format must not rewrap them.
// clang-format off
#include <racelens_mocks.h>

// case bad: std::thread started in a loop increments a global
namespace b1 {
int counter = 0;
void work() {
  counter++;  // expect-warning: 'counter' is written without a lock held
}
void start() {
  for (int i = 0; i < 4; ++i) std::thread(work).detach();  // expect-note: thread started here
}
}  // namespace b1

// case bad: the unlocked counter: racelens threads, read then write
namespace b2 {
int value = 0;
void getlock() {
  const int next = value + 1;
  racelens::sleep(0.001);
  value = next;  // expect-warning: 'value' is written without a lock held
}
void start() {
  std::deque<racelens::Thread> threads;
  for (int i = 0; i < 100; ++i) threads.emplace_back(getlock);
  for (auto& t : threads) t.start();
}
}  // namespace b2

// case bad: pthread_create in a loop
namespace b3 {
long total;
void* work(void*) {
  total += 2;  // expect-warning: 'total'
  return nullptr;
}
void start() {
  pthread_t ids[4];
  for (int i = 0; i < 4; ++i) pthread_create(&ids[i], nullptr, work, nullptr);
}
}  // namespace b3

// case bad: two different thread entries write the same global
namespace b4 {
int state;
void producer() {
  state = 1;  // expect-warning: 'state'
}
void consumer() {
  state = 0;  // expect-warning: 'state'
}
void start() {
  std::thread a(producer);
  std::thread b(consumer);
  a.join();
  b.join();
}
}  // namespace b4

// case bad: std::jthread started at two sites writes a static member
namespace b5 {
struct Stats {
  static int hits;
};
int Stats::hits = 0;
void hit() {
  Stats::hits = Stats::hits + 1;  // expect-warning: 'hits'
}
void start() {
  std::jthread a(hit);
  std::jthread b(hit);
}
}  // namespace b5

// case bad: a local captured by reference into threads started in a loop
namespace b6 {
void start() {
  int sum = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&sum] {
      sum += 1;  // expect-warning: 'sum'
    });
}
}  // namespace b6

// case bad: a static local in an entry started in a loop
namespace b7 {
void work() {
  static int calls = 0;
  ++calls;  // expect-warning: 'calls'
}
void start() {
  for (int i = 0; i < 2; ++i) racelens::Thread(work).start();
}
}  // namespace b7

// case bad: a mutating member call on a global container
namespace b8 {
std::vector<int> items;
void work() {
  items.push_back(1);  // expect-warning: 'items'
}
void start() {
  for (int i = 0; i < 3; ++i) std::thread(work).join();
}
}  // namespace b8

// case bad: an overloaded assignment from two entries
namespace b9 {
std::string status;
void a() {
  status = "a";  // expect-warning: 'status'
}
void b() {
  status = "b";  // expect-warning: 'status'
}
void start() {
  std::thread ta(a);
  std::thread tb(b);
}
}  // namespace b9

// case bad: racelens::Shared updated without a lock
namespace b10 {
racelens::Shared<int> shared{0, "shared"};
void work() {
  shared += 1;  // expect-warning: 'shared'
}
void start() {
  for (int i = 0; i < 8; ++i) racelens::Thread(racelens::ThreadOptions{"w"}, work).start();
}
}  // namespace b10

// case bad: the write follows unique_lock::unlock()
namespace b11 {
std::mutex m;
int data;
void work() {
  std::unique_lock<std::mutex> lk(m);
  lk.unlock();
  data = 3;  // expect-warning: 'data'
}
void start() {
  for (int i = 0; i < 2; ++i) std::thread(work).detach();
}
}  // namespace b11

// case bad: the write follows an explicit unlock()
namespace b12 {
std::mutex m;
int data;
void work() {
  m.lock();
  m.unlock();
  data++;  // expect-warning: 'data'
}
void start() {
  for (int i = 0; i < 2; ++i) std::thread(work).detach();
}
}  // namespace b12

// case bad: the main thread writes between start and join while the thread reads
namespace b13 {
int limit;
int reader() { return limit; }
void start() {
  std::thread t(reader);  // expect-note: thread started here
  limit = 5;              // expect-warning: 'limit'
  t.join();
  limit = 6;
}
}  // namespace b13

// case bad: a member of `this` from lambdas started in a loop
namespace b14 {
class Counter {
 public:
  void run() {
    for (int i = 0; i < 4; ++i)
      threads_.emplace_back([this] {
        count_++;  // expect-warning: 'count_'
      });
  }

 private:
  int count_ = 0;
  std::vector<std::thread> threads_;
};
}  // namespace b14

// case bad: std::async in a loop
namespace b15 {
double acc;
double work() {
  acc = acc * 2;  // expect-warning: 'acc'
  return acc;
}
void start() {
  for (int i = 0; i < 2; ++i) std::async(work);
}
}  // namespace b15

// case bad: a Timer callback writes what the main thread reads before joining it
namespace b16 {
int ticks;
void tick() {
  ticks = ticks + 1;  // expect-warning: 'ticks'
}
int start() {
  racelens::Timer timer(1.0, tick);
  timer.start();
  const int seen = ticks;  // expect-note: 'ticks' is also accessed here
  timer.join();
  return seen;
}
}  // namespace b16

// case bad: a helper called from a thread without a lock
namespace b17 {
int level;
void raise() {
  level = level + 1;  // expect-warning: 'level'
}
void work() { raise(); }
void start() {
  for (int i = 0; i < 2; ++i) std::thread(work).detach();
}
}  // namespace b17

// case bad: the lock is taken on one path only
namespace b18 {
std::mutex m;
int data;
void work(bool careful) {
  if (careful) m.lock();
  data = 1;  // expect-warning: 'data'
  if (careful) m.unlock();
}
void start() {
  for (int i = 0; i < 2; ++i) std::thread(work, true).detach();
}
}  // namespace b18

// case bad: an element of a global array
namespace b19 {
int counts[8];
void work(int i) {
  counts[i]++;  // expect-warning: 'counts'
}
void start() {
  for (int i = 0; i < 8; ++i) std::thread(work, i).detach();
}
}  // namespace b19

// case bad: a function object started in a loop
namespace b20 {
int seen;
struct Worker {
  void operator()() const {
    seen = 1;  // expect-warning: 'seen'
  }
};
void start() {
  for (int i = 0; i < 2; ++i) std::thread(Worker{}).detach();
}
}  // namespace b20

// case good: the write is under std::lock_guard
namespace g1 {
std::mutex m;
int counter;
void work() {
  std::lock_guard<std::mutex> guard(m);
  counter++;
}
void start() {
  for (int i = 0; i < 4; ++i) std::thread(work).detach();
}
}  // namespace g1

// case good: the write is under std::unique_lock
namespace g2 {
std::mutex m;
int counter;
void work() {
  std::unique_lock lk(m);
  counter = counter + 1;
}
void start() {
  for (int i = 0; i < 4; ++i) std::thread(work).detach();
}
}  // namespace g2

// case good: std::scoped_lock over two mutexes
namespace g3 {
std::mutex a, b;
int counter;
void work() {
  std::scoped_lock both(a, b);
  counter += 2;
}
void start() {
  for (int i = 0; i < 4; ++i) std::thread(work).detach();
}
}  // namespace g3

// case good: pthread_mutex_lock / unlock
namespace g4 {
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
long total;
void* work(void*) {
  pthread_mutex_lock(&m);
  total += 2;
  pthread_mutex_unlock(&m);
  return nullptr;
}
void start() {
  pthread_t ids[4];
  for (int i = 0; i < 4; ++i) pthread_create(&ids[i], nullptr, work, nullptr);
}
}  // namespace g4

// case good: racelens::Lock acquire / release
namespace g5 {
racelens::Lock lock{"lock"};
int value;
void work() {
  lock.acquire();
  value = value + 1;
  lock.release();
}
void start() {
  for (int i = 0; i < 100; ++i) racelens::Thread(work).start();
}
}  // namespace g5

// case good: an atomic counter
namespace g6 {
std::atomic<int> counter;
void work() { counter++; }
void start() {
  for (int i = 0; i < 4; ++i) std::thread(work).detach();
}
}  // namespace g6

// case good: thread_local data
namespace g7 {
thread_local int mine;
void work() { mine = mine + 1; }
void start() {
  for (int i = 0; i < 4; ++i) std::thread(work).detach();
}
}  // namespace g7

// case good: locals and parameters
namespace g8 {
void work(int n) {
  int local = n;
  local += 2;
  n = local;
}
void start() {
  for (int i = 0; i < 4; ++i) std::thread(work, i).detach();
}
}  // namespace g8

// case good: writes before any thread starts, reads of const data
namespace g9 {
int config;
const int limit = 10;
int reader() { return config + limit; }
void start() {
  config = 4;
  std::thread t(reader);
  t.join();
}
}  // namespace g9

// case good: data touched only by one thread started once
namespace g10 {
int progress;
void work() {
  for (int i = 0; i < 10; ++i) progress = i;
}
void start() {
  std::thread t(work);
  t.join();
}
}  // namespace g10

// case good: a helper only ever called with the lock held
namespace g11 {
std::mutex m;
int level;
void raise() { level = level + 1; }
void work() {
  std::lock_guard<std::mutex> guard(m);
  raise();
}
void start() {
  for (int i = 0; i < 2; ++i) std::thread(work).detach();
}
}  // namespace g11

// case good: a variable captured by copy
namespace g12 {
void start() {
  int seed = 1;
  for (int i = 0; i < 4; ++i) std::thread([seed]() mutable { seed = seed * 3; }).detach();
}
}  // namespace g12

// case good: the write happens only when try_lock succeeded
namespace g13 {
std::mutex m;
int data;
void work() {
  if (m.try_lock()) {
    data = 1;
    m.unlock();
  }
}
void start() {
  for (int i = 0; i < 2; ++i) std::thread(work).detach();
}
}  // namespace g13

// case good: pthread_mutex_trylock() == 0
namespace g14 {
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int data;
void* work(void*) {
  if (pthread_mutex_trylock(&m) == 0) {
    data = 2;
    pthread_mutex_unlock(&m);
  }
  return nullptr;
}
void start() {
  pthread_t ids[2];
  for (int i = 0; i < 2; ++i) pthread_create(&ids[i], nullptr, work, nullptr);
}
}  // namespace g14

// case good: the main thread writes only after join
namespace g15 {
int limit;
int reader() { return limit; }
void start() {
  std::thread t(reader);
  t.join();
  limit = 5;
}
}  // namespace g15

// case good: a function no thread reaches
namespace g16 {
int total;
void reset() { total = 0; }
}  // namespace g16

// case good: unique_lock with defer_lock, then lock()
namespace g17 {
std::mutex m;
int data;
void work() {
  std::unique_lock<std::mutex> lk(m, std::defer_lock);
  lk.lock();
  data = 7;
}
void start() {
  for (int i = 0; i < 2; ++i) std::thread(work).detach();
}
}  // namespace g17

// case good: std::lock then adopting guards
namespace g18 {
std::mutex a, b;
int data;
void work() {
  std::lock(a, b);
  std::lock_guard<std::mutex> ga(a, std::adopt_lock);
  std::lock_guard<std::mutex> gb(b, std::adopt_lock);
  data = 1;
}
void start() {
  for (int i = 0; i < 2; ++i) std::thread(work).detach();
}
}  // namespace g18

// case good: members of a racelens::Thread subclass (each thread its own object)
namespace g19 {
class Worker : public racelens::Thread {
 public:
  void run() override { done_ = done_ + 1; }

 private:
  int done_ = 0;
};
}  // namespace g19

// case good: calls on synchronisation objects are not writes
namespace g20 {
racelens::Queue<int> queue;
racelens::Event ready;
void work() {
  queue.put(1);
  ready.set();
}
void start() {
  for (int i = 0; i < 2; ++i) std::thread(work).detach();
}
}  // namespace g20

// case good: a Condition used as the lock (with lock:)
namespace g21 {
racelens::Condition cond;
int items;
void work() {
  std::lock_guard<racelens::Condition> with(cond);
  items = items + 1;
  cond.notify_all();
}
void start() {
  for (int i = 0; i < 2; ++i) std::thread(work).detach();
}
}  // namespace g21
