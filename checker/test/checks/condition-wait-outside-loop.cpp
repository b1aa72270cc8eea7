// Test cases for racelens-condition-wait-outside-loop (run by check_expectations.py).
// Expectation markers must stay on their lines: clang-format must not rewrap them.
// clang-format off
#include <racelens_mocks.h>

struct Seconds {};
bool item_is_available();

// case bad: the condition sample: `with cond: cond.wait()`
namespace b1 {
racelens::Condition cond;
void consumer() {
  std::lock_guard with(cond);
  cond.wait();  // expect-warning: 'cond' is waited on without a predicate
}
}  // namespace b1

// case bad: std::condition_variable::wait(lock)
namespace b2 {
std::mutex m;
std::condition_variable cv;
void consumer() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk);  // expect-warning: 'cv' is waited on without a predicate
}
}  // namespace b2

// case bad: wait_for without a predicate
namespace b3 {
std::mutex m;
std::condition_variable cv;
void consumer() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait_for(lk, Seconds{});  // expect-warning: 'cv' is waited on
}
}  // namespace b3

// case bad: condition_variable_any
namespace b4 {
std::mutex m;
std::condition_variable_any cv;
void consumer() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk);  // expect-warning: 'cv' is waited on
}
}  // namespace b4

// case bad: pthread_cond_wait
namespace b5 {
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t c = PTHREAD_COND_INITIALIZER;
void consumer() {
  pthread_mutex_lock(&m);
  pthread_cond_wait(&c, &m);  // expect-warning: 'c' is waited on
  pthread_mutex_unlock(&m);
}
}  // namespace b5

// case bad: a member condition variable
namespace b6 {
class Box {
  std::mutex m_;
  std::condition_variable cv_;

 public:
  void take() {
    std::unique_lock<std::mutex> lk(m_);
    cv_.wait(lk);  // expect-warning: 'cv_' is waited on
  }
};
}  // namespace b6

// case bad: a condition variable by reference
namespace b7 {
void consume(std::condition_variable& cv, std::unique_lock<std::mutex>& lk) {
  cv.wait(lk);  // expect-warning: 'cv' is waited on
}
}  // namespace b7

// case bad: an if tests the condition once
namespace b8 {
std::mutex m;
std::condition_variable cv;
bool ready;
void consumer() {
  std::unique_lock<std::mutex> lk(m);
  if (!ready) cv.wait(lk);  // expect-warning: 'cv' is waited on
}
}  // namespace b8

// case bad: racelens Condition::wait(timeout)
namespace b9 {
racelens::Condition cond;
void consumer() {
  cond.acquire();
  cond.wait(2.0);  // expect-warning: 'cond' is waited on
  cond.release();
}
}  // namespace b9

// case bad: a lambda's body is not inside the enclosing loop
namespace b10 {
racelens::Condition cond;
void start() {
  for (int i = 0; i < 2; ++i) {
    std::thread t([] {
      std::lock_guard with(cond);
      cond.wait();  // expect-warning: 'cond' is waited on
    });
    t.join();
  }
}
}  // namespace b10

// case bad: a condition member of a global
namespace b11 {
struct Channel {
  std::mutex m;
  std::condition_variable ready;
};
Channel ch;
void consumer() {
  std::unique_lock<std::mutex> lk(ch.m);
  ch.ready.wait(lk);  // expect-warning: 'ch.ready' is waited on
}
}  // namespace b11

// case bad: through a pointer
namespace b12 {
void consume(std::condition_variable* cv, std::unique_lock<std::mutex>& lk) {
  cv->wait(lk);  // expect-warning: 'cv' is waited on
}
}  // namespace b12

// case bad: pthread_cond_wait under an if
namespace b13 {
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t c = PTHREAD_COND_INITIALIZER;
int count;
void consumer() {
  pthread_mutex_lock(&m);
  if (count == 0) pthread_cond_wait(&c, &m);  // expect-warning: 'c' is waited on
  pthread_mutex_unlock(&m);
}
}  // namespace b13

// case bad: inside a switch
namespace b14 {
racelens::Condition cond;
void consumer(int mode) {
  std::lock_guard with(cond);
  switch (mode) {
    case 1:
      cond.wait();  // expect-warning: 'cond' is waited on
      break;
    default:
      break;
  }
}
}  // namespace b14

// case bad: inside a try block
namespace b15 {
racelens::Condition cond;
void consumer() {
  std::lock_guard with(cond);
  try {
    cond.wait(1.0);  // expect-warning: 'cond' is waited on
  } catch (...) {
  }
}
}  // namespace b15

// case good: the condition_loop sample: while (!item_is_available()) cv.wait()
namespace g1 {
racelens::Condition cv;
void consumer() {
  std::lock_guard with(cv);
  while (!item_is_available()) cv.wait();
}
}  // namespace g1

// case good: wait with a predicate
namespace g2 {
std::mutex m;
std::condition_variable cv;
bool ready;
void consumer() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk, [] { return ready; });
}
}  // namespace g2

// case good: wait_for with a predicate
namespace g3 {
std::mutex m;
std::condition_variable cv;
bool ready;
void consumer() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait_for(lk, Seconds{}, [] { return ready; });
}
}  // namespace g3

// case good: racelens Condition::wait_for(predicate)
namespace g4 {
racelens::Condition cond;
void consumer() {
  std::lock_guard with(cond);
  cond.wait_for(item_is_available);
}
}  // namespace g4

// case good: a do-while loop
namespace g5 {
std::mutex m;
std::condition_variable cv;
bool ready;
void consumer() {
  std::unique_lock<std::mutex> lk(m);
  do {
    cv.wait(lk);
  } while (!ready);
}
}  // namespace g5

// case good: for (;;) with a break
namespace g6 {
racelens::Condition cond;
void consumer() {
  std::lock_guard with(cond);
  for (;;) {
    if (item_is_available()) break;
    cond.wait();
  }
}
}  // namespace g6

// case good: pthread_cond_wait in a while loop
namespace g7 {
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t c = PTHREAD_COND_INITIALIZER;
int count;
void consumer() {
  pthread_mutex_lock(&m);
  while (count == 0) pthread_cond_wait(&c, &m);
  pthread_mutex_unlock(&m);
}
}  // namespace g7

// case good: racelens wait(timeout) in a while loop
namespace g8 {
racelens::Condition cond;
void consumer() {
  std::lock_guard with(cond);
  while (!item_is_available()) cond.wait(0.5);
}
}  // namespace g8

// case good: condition_variable_any with a predicate
namespace g9 {
std::mutex m;
std::condition_variable_any cv;
void consumer() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk, item_is_available);
}
}  // namespace g9

// case good: a counted for loop
namespace g10 {
std::mutex m;
std::condition_variable cv;
void consumer() {
  std::unique_lock<std::mutex> lk(m);
  for (int tries = 0; tries < 3 && !item_is_available(); ++tries) cv.wait(lk);
}
}  // namespace g10

// case good: a predicate object
namespace g11 {
struct Ready {
  bool operator()() const;
};
std::mutex m;
std::condition_variable cv;
void consumer() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk, Ready{});
}
}  // namespace g11

// case good: the wait under an if inside a loop
namespace g12 {
racelens::Condition cond;
int mode;
void consumer() {
  std::lock_guard with(cond);
  while (!item_is_available()) {
    if (mode == 1) cond.wait();
  }
}
}  // namespace g12

// case good: notifying only
namespace g13 {
racelens::Condition cond;
std::condition_variable cv;
void producer() {
  std::lock_guard with(cond);
  cond.notify_all();
  cv.notify_one();
}
}  // namespace g13

// case good: a member condition in a loop
namespace g14 {
class Box {
  std::mutex m_;
  std::condition_variable cv_;
  bool full_ = false;

 public:
  void take() {
    std::unique_lock<std::mutex> lk(m_);
    while (!full_) cv_.wait(lk);
  }
};
}  // namespace g14

// case good: an Event's wait is not a condition wait
namespace g15 {
racelens::Event ev;
void consumer() { ev.wait(); }
}  // namespace g15
