// Test cases for racelens-lock-order-inversion (run by check_expectations.py).
// Expectation markers must stay on their lines: clang-format must not rewrap them.
// clang-format off
#include <racelens_mocks.h>

// case bad: the lock_order sample: nested `with` in opposite orders
namespace b1 {
racelens::Lock lock_a{"lock_a"}, lock_b{"lock_b"};
void one() {
  std::lock_guard with_a(lock_a);  // expect-note: 'lock_a' acquired here
  std::lock_guard with_b(lock_b);  // expect-warning: 'lock_b' is acquired while 'lock_a' is held
}
void two() {
  std::lock_guard with_b(lock_b);
  std::lock_guard with_a(lock_a);  // expect-warning: 'lock_a' is acquired while 'lock_b' is held
}
}  // namespace b1

// case bad: explicit std::mutex lock() / unlock()
namespace b2 {
std::mutex a, b;
void one() {
  a.lock();
  b.lock();  // expect-warning: 'b' is acquired while 'a' is held
  b.unlock();
  a.unlock();
}
void two() {
  b.lock();
  a.lock();  // expect-warning: 'a' is acquired while 'b' is held
  a.unlock();
  b.unlock();
}
}  // namespace b2

// case bad: pthread mutexes
namespace b3 {
pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
void one() {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);  // expect-warning: 'b' is acquired while 'a' is held
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
}
void two() {
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);  // expect-warning: 'a' is acquired while 'b' is held
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
}
}  // namespace b3

// case bad: unique_lock in one order, lock_guard in the other
namespace b4 {
std::mutex a, b;
void one() {
  std::unique_lock<std::mutex> la(a);
  std::unique_lock<std::mutex> lb(b);  // expect-warning: 'b' is acquired while 'a' is held
}
void two() {
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);  // expect-warning: 'a' is acquired while 'b' is held
}
}  // namespace b4

// case bad: members of `this` in two member functions
namespace b5 {
class Bank {
  std::mutex in_, out_;

 public:
  void deposit() {
    std::lock_guard<std::mutex> a(in_);
    std::lock_guard<std::mutex> b(out_);  // expect-warning: 'out_' is acquired while 'in_'
  }
  void withdraw() {
    std::lock_guard<std::mutex> b(out_);
    std::lock_guard<std::mutex> a(in_);  // expect-warning: 'in_' is acquired while 'out_'
  }
};
}  // namespace b5

// case bad: members of the same global object
namespace b6 {
struct Pair {
  std::mutex first, second;
};
Pair pair;
void one() {
  std::lock_guard<std::mutex> a(pair.first);
  std::lock_guard<std::mutex> b(pair.second);  // expect-warning: 'pair.second' is acquired
}
void two() {
  std::lock_guard<std::mutex> b(pair.second);
  std::lock_guard<std::mutex> a(pair.first);  // expect-warning: 'pair.first' is acquired
}
}  // namespace b6

// case bad: the inner lock is taken by a helper
namespace b7 {
std::mutex a, b;
void take_b() { std::lock_guard<std::mutex> g(b); }
void one() {
  std::lock_guard<std::mutex> g(a);
  take_b();  // expect-warning: 'b' is acquired (in 'take_b') while 'a' is held
}
void two() {
  std::lock_guard<std::mutex> g(b);
  std::lock_guard<std::mutex> h(a);  // expect-warning: 'a' is acquired while 'b' is held
}
}  // namespace b7

// case bad: a std::mutex locked twice
namespace b8 {
std::mutex m;
void twice() {
  m.lock();  // expect-note: 'm' first acquired here
  m.lock();  // expect-warning: 'm' is acquired while already held
  m.unlock();
  m.unlock();
}
}  // namespace b8

// case bad: a racelens::Lock re-acquired by a nested guard
namespace b9 {
racelens::Lock lock;
void nested() {
  std::lock_guard outer(lock);
  std::lock_guard inner(lock);  // expect-warning: 'lock' is acquired while already held
}
}  // namespace b9

// case bad: a pthread mutex locked twice
namespace b10 {
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void twice() {
  pthread_mutex_lock(&m);
  pthread_mutex_lock(&m);  // expect-warning: 'm' is acquired while already held
  pthread_mutex_unlock(&m);
}
}  // namespace b10

// case bad: unique_lock with defer_lock locked later
namespace b11 {
std::mutex a, b;
void one() {
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  std::lock_guard<std::mutex> gb(b);
  la.lock();  // expect-warning: 'a' is acquired while 'b' is held
}
void two() {
  std::lock_guard<std::mutex> ga(a);
  std::lock_guard<std::mutex> gb(b);  // expect-warning: 'b' is acquired while 'a' is held
}
}  // namespace b11

// case bad: a Condition used as a lock and a Lock
namespace b12 {
racelens::Lock lock;
racelens::Condition cond;
void one() {
  cond.acquire();
  lock.acquire();  // expect-warning: 'lock' is acquired while 'cond' is held
  lock.release();
  cond.release();
}
void two() {
  lock.acquire();
  cond.acquire();  // expect-warning: 'cond' is acquired while 'lock' is held
  cond.release();
  lock.release();
}
}  // namespace b12

// case bad: both orders inside one function
namespace b13 {
std::mutex a, b;
void both() {
  {
    std::lock_guard<std::mutex> ga(a);
    std::lock_guard<std::mutex> gb(b);  // expect-warning: 'b' is acquired while 'a' is held
  }
  {
    std::lock_guard<std::mutex> gb(b);
    std::lock_guard<std::mutex> ga(a);  // expect-warning: 'a' is acquired while 'b' is held
  }
}
}  // namespace b13

// case bad: the orders inside lambdas run by threads
namespace b14 {
std::mutex a, b;
void start() {
  std::thread t1([] {
    std::lock_guard<std::mutex> ga(a);
    std::lock_guard<std::mutex> gb(b);  // expect-warning: 'b' is acquired while 'a' is held
  });
  std::thread t2([] {
    std::lock_guard<std::mutex> gb(b);
    std::lock_guard<std::mutex> ga(a);  // expect-warning: 'a' is acquired while 'b' is held
  });
}
}  // namespace b14

// case bad: a shared_mutex and a mutex
namespace b15 {
std::shared_mutex rw;
std::mutex m;
void reader() {
  rw.lock_shared();
  m.lock();  // expect-warning: 'm' is acquired while 'rw' is held
  m.unlock();
  rw.unlock_shared();
}
void writer() {
  std::lock_guard<std::mutex> g(m);
  rw.lock();  // expect-warning: 'rw' is acquired while 'm' is held
  rw.unlock();
}
}  // namespace b15

// case bad: an RLock and a Lock
namespace b16 {
racelens::RLock outer;
racelens::Lock inner;
void one() {
  std::lock_guard<racelens::RLock> g(outer);
  std::lock_guard<racelens::Lock> h(inner);  // expect-warning: 'inner' is acquired
}
void two() {
  std::lock_guard<racelens::Lock> h(inner);
  std::lock_guard<racelens::RLock> g(outer);  // expect-warning: 'outer' is acquired
}
}  // namespace b16

// case good: the same order everywhere
namespace g1 {
std::mutex a, b;
void one() {
  std::lock_guard<std::mutex> ga(a);
  std::lock_guard<std::mutex> gb(b);
}
void two() {
  std::lock_guard<std::mutex> ga(a);
  std::lock_guard<std::mutex> gb(b);
}
}  // namespace g1

// case good: std::scoped_lock in both orders
namespace g2 {
std::mutex a, b;
void one() { std::scoped_lock both(a, b); }
void two() { std::scoped_lock both(b, a); }
}  // namespace g2

// case good: std::lock in both orders
namespace g3 {
std::mutex a, b;
void one() {
  std::lock(a, b);
  a.unlock();
  b.unlock();
}
void two() {
  std::lock(b, a);
  b.unlock();
  a.unlock();
}
}  // namespace g3

// case good: an RLock re-acquired by its owner
namespace g4 {
racelens::RLock rlock;
void nested() {
  std::lock_guard outer(rlock);
  std::lock_guard inner(rlock);
}
}  // namespace g4

// case good: a recursive_mutex re-acquired
namespace g5 {
std::recursive_mutex m;
void nested() {
  m.lock();
  m.lock();
  m.unlock();
  m.unlock();
}
}  // namespace g5

// case good: one lock at a time, in either order
namespace g6 {
std::mutex a, b;
void one() {
  { std::lock_guard<std::mutex> ga(a); }
  { std::lock_guard<std::mutex> gb(b); }
}
void two() {
  { std::lock_guard<std::mutex> gb(b); }
  { std::lock_guard<std::mutex> ga(a); }
}
}  // namespace g6

// case good: the reverse order only with try_lock, which does not block
namespace g7 {
std::mutex a, b;
void one() {
  std::lock_guard<std::mutex> ga(a);
  std::lock_guard<std::mutex> gb(b);
}
void two() {
  std::lock_guard<std::mutex> gb(b);
  if (a.try_lock()) a.unlock();
}
}  // namespace g7

// case good: locks of parameters (which objects they are is unknown)
namespace g8 {
struct Account {
  std::mutex m;
};
void one(Account& x, Account& y) {
  std::lock_guard<std::mutex> gx(x.m);
  std::lock_guard<std::mutex> gy(y.m);
}
void two(Account& p, Account& q) {
  std::lock_guard<std::mutex> gq(q.m);
  std::lock_guard<std::mutex> gp(p.m);
}
}  // namespace g8

// case good: unique_lock released before the other lock is taken
namespace g9 {
std::mutex a, b;
void one() {
  std::lock_guard<std::mutex> ga(a);
  std::lock_guard<std::mutex> gb(b);
}
void two() {
  std::unique_lock<std::mutex> lb(b);
  lb.unlock();
  std::lock_guard<std::mutex> ga(a);
}
}  // namespace g9

// case good: pthread mutexes in one order
namespace g10 {
pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
void one() {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
}
void two() {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
}
}  // namespace g10

// case good: a Condition (its default lock is an RLock) re-acquired
namespace g11 {
racelens::Condition cond;
void nested() {
  std::lock_guard outer(cond);
  cond.acquire();
  cond.release();
}
}  // namespace g11

// case good: unrelated pairs of locks
namespace g12 {
std::mutex a, b, c, d;
void one() {
  std::lock_guard<std::mutex> ga(a);
  std::lock_guard<std::mutex> gb(b);
}
void two() {
  std::lock_guard<std::mutex> gc(c);
  std::lock_guard<std::mutex> gd(d);
}
}  // namespace g12

// case good: lock, unlock, lock again
namespace g13 {
std::mutex m;
void again() {
  m.lock();
  m.unlock();
  m.lock();
  m.unlock();
}
}  // namespace g13

// case good: a non-blocking acquire in the reverse order
namespace g14 {
racelens::Lock a, b;
void one() {
  std::lock_guard ga(a);
  std::lock_guard gb(b);
}
void two() {
  std::lock_guard gb(b);
  if (a.acquire(false)) a.release();
}
}  // namespace g14

// case good: pthread_mutex_trylock in the reverse order
namespace g15 {
pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
void one() {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
}
void two() {
  pthread_mutex_lock(&b);
  if (pthread_mutex_trylock(&a) == 0) pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
}
}  // namespace g15

// case good: members of two different objects' helpers (identity unknown across the call)
namespace g16 {
struct Box {
  std::mutex m;
  void touch() { std::lock_guard<std::mutex> g(m); }
};
std::mutex outer;
void one(Box& box) {
  std::lock_guard<std::mutex> g(outer);
  box.touch();
}
void two(Box& box) {
  std::lock_guard<std::mutex> g(box.m);
  std::lock_guard<std::mutex> h(outer);
}
}  // namespace g16
