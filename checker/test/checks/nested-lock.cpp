// Test cases for racelens-nested-lock (run by check_expectations.py).
// Expectation markers must stay on their lines: clang-format must not rewrap them.
// clang-format off
#include <racelens_mocks.h>

// case bad: nested lock_guards on racelens Locks
namespace b1 {
racelens::Lock a, b;
void f() {
  std::lock_guard ga(a);  // expect-note: 'a' acquired here
  std::lock_guard gb(b);  // expect-warning: 'b' is acquired while 'a' is held
}
}  // namespace b1

// case bad: explicit std::mutex lock
namespace b2 {
std::mutex a, b;
void f() {
  a.lock();
  b.lock();  // expect-warning: 'b' is acquired while 'a' is held
  b.unlock();
  a.unlock();
}
}  // namespace b2

// case bad: pthread mutexes
namespace b3 {
pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
void f() {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);  // expect-warning: 'b' is acquired while 'a' is held
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
}
}  // namespace b3

// case bad: unique_lock inside lock_guard
namespace b4 {
std::mutex a, b;
void f() {
  std::lock_guard<std::mutex> ga(a);
  std::unique_lock<std::mutex> lb(b);  // expect-warning: 'b' is acquired while 'a' is held
}
}  // namespace b4

// case bad: members of this
namespace b5 {
class C {
  std::mutex x_, y_;

 public:
  void f() {
    std::lock_guard<std::mutex> gx(x_);
    std::lock_guard<std::mutex> gy(y_);  // expect-warning: 'y_' is acquired while 'x_' is held
  }
};
}  // namespace b5

// case bad: scoped_lock while another lock is held
namespace b6 {
std::mutex a, b, c;
void f() {
  std::lock_guard<std::mutex> ga(a);
  std::scoped_lock bc(b, c);  // expect-warning: 'b' is acquired while 'a' is held // expect-warning: 'c' is acquired while 'a' is held
}
}  // namespace b6

// case bad: acquire() of a Condition inside a Lock
namespace b7 {
racelens::Lock lock;
racelens::Condition cond;
void f() {
  lock.acquire();
  cond.acquire();  // expect-warning: 'cond' is acquired while 'lock' is held
  cond.release();
  lock.release();
}
}  // namespace b7

// case bad: deferred unique_lock locked inside another lock
namespace b8 {
std::mutex a, b;
void f() {
  std::unique_lock<std::mutex> lb(b, std::defer_lock);
  std::lock_guard<std::mutex> ga(a);
  lb.lock();  // expect-warning: 'b' is acquired while 'a' is held
}
}  // namespace b8

// case bad: three levels
namespace b9 {
std::mutex a, b, c;
void f() {
  std::lock_guard<std::mutex> ga(a);
  std::lock_guard<std::mutex> gb(b);  // expect-warning: 'b' is acquired while 'a' is held
  std::lock_guard<std::mutex> gc(c);  // expect-warning: 'c' is acquired while 'b' is held
}
}  // namespace b9

// case bad: inside a lambda
namespace b10 {
std::mutex a, b;
auto f = [] {
  std::lock_guard<std::mutex> ga(a);
  std::lock_guard<std::mutex> gb(b);  // expect-warning: 'b' is acquired while 'a' is held
};
}  // namespace b10

// case bad: shared_lock inside a mutex
namespace b11 {
std::shared_mutex rw;
std::mutex m;
void f() {
  std::lock_guard<std::mutex> g(m);
  std::shared_lock<std::shared_mutex> r(rw);  // expect-warning: 'rw' is acquired while 'm'
}
}  // namespace b11

// case bad: a nested lock in a loop body
namespace b12 {
std::mutex a, b;
void f() {
  std::lock_guard<std::mutex> ga(a);
  for (int i = 0; i < 3; ++i) {
    std::lock_guard<std::mutex> gb(b);  // expect-warning: 'b' is acquired while 'a' is held
  }
}
}  // namespace b12

// case bad: RLock inside Lock
namespace b13 {
racelens::Lock l;
racelens::RLock r;
void f() {
  std::lock_guard gl(l);
  r.acquire();  // expect-warning: 'r' is acquired while 'l' is held
  r.release();
}
}  // namespace b13

// case bad: members of a global object
namespace b14 {
struct Pair {
  std::mutex first, second;
};
Pair p;
void f() {
  std::lock_guard<std::mutex> a(p.first);
  std::lock_guard<std::mutex> b(p.second);  // expect-warning: 'p.second' is acquired while 'p.first'
}
}  // namespace b14

// case bad: a try_lock that succeeded while another lock is held
namespace b15 {
std::mutex a, b;
void f() {
  std::lock_guard<std::mutex> ga(a);
  if (b.try_lock()) {  // expect-warning: 'b' is acquired while 'a' is held
    b.unlock();
  }
}
}  // namespace b15

// case good: one lock at a time
namespace g1 {
std::mutex a, b;
void f() {
  { std::lock_guard<std::mutex> ga(a); }
  { std::lock_guard<std::mutex> gb(b); }
}
}  // namespace g1

// case good: scoped_lock of two locks
namespace g2 {
std::mutex a, b;
void f() { std::scoped_lock both(a, b); }
}  // namespace g2

// case good: std::lock of two locks
namespace g3 {
std::mutex a, b;
void f() {
  std::lock(a, b);
  a.unlock();
  b.unlock();
}
}  // namespace g3

// case good: unlock before the next lock
namespace g4 {
std::mutex a, b;
void f() {
  a.lock();
  a.unlock();
  b.lock();
  b.unlock();
}
}  // namespace g4

// case good: pthread one at a time
namespace g5 {
pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
void f() {
  pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a);
  pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b);
}
}  // namespace g5

// case good: an RLock re-acquired by its owner
namespace g6 {
racelens::RLock r;
void f() {
  std::lock_guard outer(r);
  std::lock_guard inner(r);
}
}  // namespace g6

// case good: unique_lock unlocked before the next lock
namespace g7 {
std::mutex a, b;
void f() {
  std::unique_lock<std::mutex> la(a);
  la.unlock();
  std::lock_guard<std::mutex> gb(b);
}
}  // namespace g7

// case good: a racelens Lock released before the next
namespace g8 {
racelens::Lock a, b;
void f() {
  a.acquire();
  a.release();
  b.acquire();
  b.release();
}
}  // namespace g8

// case good: two functions each with one lock
namespace g9 {
std::mutex a, b;
void f() { std::lock_guard<std::mutex> ga(a); }
void g() { std::lock_guard<std::mutex> gb(b); }
}  // namespace g9

// case good: a deferred lock never locked
namespace g10 {
std::mutex a, b;
void f() {
  std::lock_guard<std::mutex> ga(a);
  std::unique_lock<std::mutex> lb(b, std::defer_lock);
}
}  // namespace g10

// case good: adopt_lock after std::lock
namespace g11 {
std::mutex a, b;
void f() {
  std::lock(a, b);
  std::lock_guard<std::mutex> ga(a, std::adopt_lock);
  std::lock_guard<std::mutex> gb(b, std::adopt_lock);
}
}  // namespace g11

// case good: locks in separate loop iterations
namespace g12 {
std::mutex m;
void f() {
  for (int i = 0; i < 3; ++i) {
    std::lock_guard<std::mutex> g(m);
  }
}
}  // namespace g12

// case good: lock released on both branches before the next
namespace g13 {
std::mutex a, b;
void f(bool x) {
  a.lock();
  if (x)
    a.unlock();
  else
    a.unlock();
  b.lock();
  b.unlock();
}
}  // namespace g13

// case good: a Condition re-acquired (recursive)
namespace g14 {
racelens::Condition c;
void f() {
  std::lock_guard outer(c);
  std::lock_guard inner(c);
}
}  // namespace g14

// case good: lambdas each holding one lock
namespace g15 {
std::mutex a, b;
void f() {
  std::lock_guard<std::mutex> ga(a);
  auto later = [] { std::lock_guard<std::mutex> gb(b); };
  (void)later;
}
}  // namespace g15
