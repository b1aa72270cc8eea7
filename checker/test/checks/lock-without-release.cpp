// Test cases for racelens-lock-without-release (run by check_expectations.py).
// Expectation markers must stay on their lines: clang-format must not rewrap them.
// clang-format off
#include <racelens_mocks.h>

bool failed();
[[noreturn]] void fatal();

// case bad: std::mutex with an early return
namespace b1 {
std::mutex m;
int update() {
  m.lock();  // expect-warning: 'm' is acquired here but some path leaves the function
  if (failed()) return -1;  // expect-note: 'm' is still held when the function exits here
  m.unlock();
  return 0;
}
}  // namespace b1

// case bad: racelens Lock::acquire with an early return
namespace b2 {
racelens::Lock lock;
void update() {
  lock.acquire();  // expect-warning: 'lock' is acquired here
  if (failed()) return;
  lock.release();
}
}  // namespace b2

// case bad: pthread_mutex_lock with an early return
namespace b3 {
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int update() {
  pthread_mutex_lock(&m);  // expect-warning: 'm' is acquired here
  if (failed()) return 1;
  pthread_mutex_unlock(&m);
  return 0;
}
}  // namespace b3

// case bad: a throw while holding the lock
namespace b4 {
std::mutex m;
void update() {
  m.lock();                // expect-warning: 'm' is acquired here
  if (failed()) throw 42;  // expect-note: 'm' is still held
  m.unlock();
}
}  // namespace b4

// case bad: a return from inside a loop
namespace b5 {
std::mutex m;
int find(int n) {
  m.lock();  // expect-warning: 'm' is acquired here
  for (int i = 0; i < n; ++i)
    if (failed()) return i;
  m.unlock();
  return -1;
}
}  // namespace b5

// case bad: a Condition acquired as a lock
namespace b6 {
racelens::Condition cond;
void update() {
  cond.acquire();  // expect-warning: 'cond' is acquired here
  if (failed()) return;
  cond.notify_all();
  cond.release();
}
}  // namespace b6

// case bad: an early return after a successful try_lock
namespace b7 {
std::mutex m;
void update() {
  if (m.try_lock()) {  // expect-warning: 'm' is acquired here
    if (failed()) return;
    m.unlock();
  }
}
}  // namespace b7

// case bad: a member lock
namespace b8 {
class Account {
  std::mutex m_;
  int balance_ = 0;

 public:
  bool withdraw(int amount) {
    m_.lock();  // expect-warning: 'm_' is acquired here
    if (balance_ < amount) return false;
    balance_ -= amount;
    m_.unlock();
    return true;
  }
};
}  // namespace b8

// case bad: inside a lambda
namespace b9 {
std::mutex m;
auto task = [] {
  m.lock();  // expect-warning: 'm' is acquired here
  if (failed()) return;
  m.unlock();
};
}  // namespace b9

// case bad: released on one branch only
namespace b10 {
std::mutex m;
void update(bool done) {
  m.lock();  // expect-warning: 'm' is acquired here
  if (done) m.unlock();
}  // expect-note: 'm' is still held when the function exits here
}  // namespace b10

// case bad: lock_shared with an early return
namespace b11 {
std::shared_mutex rw;
int read() {
  rw.lock_shared();  // expect-warning: 'rw' is acquired here
  if (failed()) return 0;
  rw.unlock_shared();
  return 1;
}
}  // namespace b11

// case bad: an RLock
namespace b12 {
racelens::RLock rlock;
void update() {
  rlock.acquire();  // expect-warning: 'rlock' is acquired here
  if (failed()) return;
  rlock.release();
}
}  // namespace b12

// case bad: one of two locks leaks
namespace b13 {
std::mutex a, b;
void update() {
  a.lock();
  b.lock();  // expect-warning: 'b' is acquired here
  a.unlock();
  if (failed()) return;
  b.unlock();
}
}  // namespace b13

// case bad: pthread_mutex_trylock() == 0 with an early return
namespace b14 {
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void update() {
  if (pthread_mutex_trylock(&m) == 0) {  // expect-warning: 'm' is acquired here
    if (failed()) return;
    pthread_mutex_unlock(&m);
  }
}
}  // namespace b14

// case bad: lock() of a racelens Lock
namespace b15 {
racelens::Lock lock;
int update() {
  lock.lock();  // expect-warning: 'lock' is acquired here
  if (failed()) return 2;
  lock.unlock();
  return 0;
}
}  // namespace b15

// case good: a lock_guard
namespace g1 {
std::mutex m;
int update() {
  std::lock_guard<std::mutex> g(m);
  if (failed()) return -1;
  return 0;
}
}  // namespace g1

// case good: unlocked before every return
namespace g2 {
std::mutex m;
int update() {
  m.lock();
  if (failed()) {
    m.unlock();
    return -1;
  }
  m.unlock();
  return 0;
}
}  // namespace g2

// case good: an acquire wrapper that never releases
namespace g3 {
class Resource {
  std::mutex m_;

 public:
  void lock() { m_.lock(); }
  void unlock() { m_.unlock(); }
};
}  // namespace g3

// case good: a unique_lock with an early return
namespace g4 {
std::mutex m;
void update() {
  std::unique_lock<std::mutex> lk(m);
  if (failed()) return;
  lk.unlock();
}
}  // namespace g4

// case good: a failed try_lock holds nothing
namespace g5 {
std::mutex m;
void update() {
  if (!m.try_lock()) return;
  m.unlock();
}
}  // namespace g5

// case good: unlocked on both branches
namespace g6 {
racelens::Lock lock;
void update(bool x) {
  lock.acquire();
  if (x)
    lock.release();
  else
    lock.release();
}
}  // namespace g6

// case good: pthread unlock before each return
namespace g7 {
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int update() {
  pthread_mutex_lock(&m);
  if (failed()) {
    pthread_mutex_unlock(&m);
    return 1;
  }
  pthread_mutex_unlock(&m);
  return 0;
}
}  // namespace g7

// case good: lock and unlock in each loop iteration
namespace g8 {
std::mutex m;
void update(int n) {
  for (int i = 0; i < n; ++i) {
    m.lock();
    m.unlock();
  }
}
}  // namespace g8

// case good: a noreturn call while holding
namespace g9 {
std::mutex m;
void update() {
  m.lock();
  if (failed()) fatal();
  m.unlock();
}
}  // namespace g9

// case good: adopted by a guard after locking
namespace g10 {
std::mutex m;
void update() {
  m.lock();
  std::lock_guard<std::mutex> g(m, std::adopt_lock);
  if (failed()) return;
}
}  // namespace g10

// case good: racelens acquire / release on every path
namespace g11 {
racelens::Lock lock;
int update() {
  lock.acquire();
  const int r = failed() ? 1 : 0;
  lock.release();
  return r;
}
}  // namespace g11

// case good: a Condition through a guard
namespace g12 {
racelens::Condition cond;
void update() {
  std::lock_guard with(cond);
  if (failed()) return;
  cond.notify_all();
}
}  // namespace g12

// case good: std::lock with adopting guards
namespace g13 {
std::mutex a, b;
void update() {
  std::lock(a, b);
  std::lock_guard<std::mutex> ga(a, std::adopt_lock);
  std::lock_guard<std::mutex> gb(b, std::adopt_lock);
  if (failed()) return;
}
}  // namespace g13

// case good: a scoped_lock with an early return
namespace g14 {
std::mutex a, b;
void update() {
  std::scoped_lock both(a, b);
  if (failed()) return;
}
}  // namespace g14

// case good: a release wrapper
namespace g15 {
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void leave() { pthread_mutex_unlock(&m); }
void enter() { pthread_mutex_lock(&m); }
}  // namespace g15

// case good: a helper entered with the lock held unlocks around slow work (leveldb's pattern)
namespace g16 {
std::mutex m;
void slow();
void compact() {
  m.unlock();
  slow();
  m.lock();
}
}  // namespace g16

// case good: the same with pthreads and an early return
namespace g17 {
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void slow();
void compact() {
  pthread_mutex_unlock(&m);
  if (failed()) {
    pthread_mutex_lock(&m);
    return;
  }
  slow();
  pthread_mutex_lock(&m);
}
}  // namespace g17
