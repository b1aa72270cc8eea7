// Test cases for racelens-unguarded-shared-write with ReportUnguardedReads: true.
// Expectation markers must stay on their lines: clang-format must not rewrap them.
// clang-format off
#include <racelens_mocks.h>

// case bad: a reader thread reads without the lock the writers take
namespace b1 {
std::mutex m;
int balance;
void deposit() {
  std::lock_guard<std::mutex> g(m);  // (the guarded write below)
  balance = balance + 1;  // expect-note: 'balance' is written here with a lock held
}
int audit() {
  return balance;  // expect-warning: 'balance' is read without a lock held, but it is written under a lock elsewhere
}
void start() {
  for (int i = 0; i < 4; ++i) std::thread(deposit).detach();
  std::thread(audit).detach();
}
}  // namespace b1

// case bad: racelens Lock and the main thread reading between start and join
namespace b2 {
racelens::Lock lock;
int progress;
void work() {
  lock.acquire();
  progress = progress + 1;
  lock.release();
}
void start() {
  racelens::Thread t(work);
  t.start();
  const int seen = progress;  // expect-warning: 'progress' is read without a lock held
  (void)seen;
  t.join();
}
}  // namespace b2

// case bad: pthread writers, a polling reader
namespace b3 {
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int done;
void* finish(void*) {
  pthread_mutex_lock(&m);
  done = 1;
  pthread_mutex_unlock(&m);
  return nullptr;
}
void* poll(void*) {
  while (!done) {  // expect-warning: 'done' is read without a lock held
  }
  return nullptr;
}
void start() {
  pthread_t a, b;
  pthread_create(&a, nullptr, finish, nullptr);
  pthread_create(&b, nullptr, poll, nullptr);
}
}  // namespace b3

// case good: every read under the lock
namespace g1 {
std::mutex m;
int balance;
void deposit() {
  std::lock_guard<std::mutex> g(m);
  balance = balance + 1;
}
int audit() {
  std::lock_guard<std::mutex> g(m);
  return balance;
}
void start() {
  for (int i = 0; i < 4; ++i) std::thread(deposit).detach();
  std::thread(audit).detach();
}
}  // namespace g1

// case good: read after join
namespace g2 {
racelens::Lock lock;
int progress;
void work() {
  std::lock_guard with(lock);
  progress = progress + 1;
}
int start() {
  racelens::Thread t(work);
  t.start();
  t.join();
  return progress;
}
}  // namespace g2

// case good: never written under a lock (the write itself is what is reported, without the option)
namespace g3 {
const int limit = 3;
int reader() { return limit; }
void start() {
  for (int i = 0; i < 2; ++i) std::thread(reader).detach();
}
}  // namespace g3

// case bad: the guarded write is in a helper only called with the lock held
namespace b4 {
std::mutex m;
int level;
void raise() { level = level + 1; }
void work() {
  std::lock_guard<std::mutex> g(m);
  raise();
}
int peek() {
  return level;  // expect-warning: 'level' is read without a lock held
}
void start() {
  for (int i = 0; i < 2; ++i) std::thread(work).detach();
  std::thread(peek).detach();
}
}  // namespace b4

// case bad: a unique_lock released before the read
namespace b5 {
std::mutex m;
int count;
void work() {
  std::unique_lock<std::mutex> lk(m);
  count = count + 1;
  lk.unlock();
  if (count > 10) {  // expect-warning: 'count' is read without a lock held
  }
}
void start() {
  for (int i = 0; i < 2; ++i) std::thread(work).detach();
}
}  // namespace b5

// case good: an atomic read
namespace g4 {
std::mutex m;
std::atomic<int> hits;
void work() {
  std::lock_guard<std::mutex> g(m);
  hits = 1;
}
int peek() { return hits.load(); }
void start() {
  for (int i = 0; i < 2; ++i) std::thread(work).detach();
  std::thread(peek).detach();
}
}  // namespace g4

// case good: the read is in a helper only called with the lock held
namespace g5 {
std::mutex m;
int level;
int current() { return level; }
void work() {
  std::lock_guard<std::mutex> g(m);
  level = current() + 1;
}
void start() {
  for (int i = 0; i < 2; ++i) std::thread(work).detach();
}
}  // namespace g5
