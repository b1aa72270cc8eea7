// Mocks of the std::, pthreads and racelens APIs the checks know, declared just enough for the
// test sources to compile (upstream clang-tidy tests mock the standard library the same way).
// Included with -isystem, so nothing here is ever analysed or reported.
#pragma once

namespace std {
using size_t = decltype(sizeof(0));
struct defer_lock_t {
  explicit defer_lock_t() = default;
};
struct try_to_lock_t {
  explicit try_to_lock_t() = default;
};
struct adopt_lock_t {
  explicit adopt_lock_t() = default;
};
inline constexpr defer_lock_t defer_lock{};
inline constexpr try_to_lock_t try_to_lock{};
inline constexpr adopt_lock_t adopt_lock{};

class mutex {
 public:
  void lock();
  void unlock();
  bool try_lock();
};
class recursive_mutex {
 public:
  void lock();
  void unlock();
  bool try_lock();
};
class timed_mutex {
 public:
  void lock();
  void unlock();
  bool try_lock();
  template <class D>
  bool try_lock_for(const D&) {
    return {};
  }
};
class shared_mutex {
 public:
  void lock();
  void unlock();
  bool try_lock();
  void lock_shared();
  void unlock_shared();
};
template <class M>
class lock_guard {
 public:
  explicit lock_guard(M&);
  lock_guard(M&, adopt_lock_t);
  ~lock_guard();
};
template <class M>
class unique_lock {
 public:
  explicit unique_lock(M&);
  unique_lock(M&, defer_lock_t);
  unique_lock(M&, try_to_lock_t);
  unique_lock(M&, adopt_lock_t);
  ~unique_lock();
  void lock();
  void unlock();
  bool try_lock();
  M* release();
  bool owns_lock() const;
};
template <class M>
class shared_lock {
 public:
  explicit shared_lock(M&);
  ~shared_lock();
};
template <class... M>
class scoped_lock {
 public:
  explicit scoped_lock(M&...);
  ~scoped_lock();
};
template <class L1, class L2, class... L>
void lock(L1&, L2&, L&...) {}

class condition_variable {
 public:
  void notify_one();
  void notify_all();
  void wait(unique_lock<mutex>&);
  template <class P>
  void wait(unique_lock<mutex>&, P) {}
  template <class D>
  int wait_for(unique_lock<mutex>&, const D&) {
    return {};
  }
  template <class D, class P>
  bool wait_for(unique_lock<mutex>&, const D&, P) {
    return {};
  }
};
class condition_variable_any {
 public:
  void notify_all();
  template <class L>
  void wait(L&) {}
  template <class L, class P>
  void wait(L&, P) {}
};

template <class T>
struct atomic {
  atomic();
  atomic(T);
  T load() const;
  void store(T);
  T operator++();
  T operator++(int);
  T operator=(T);
  T fetch_add(T);
};

class thread {
 public:
  thread();
  template <class F, class... A>
  explicit thread(F&& f, A&&... a) {}
  ~thread();
  void join();
  void detach();
  bool joinable() const;
};
class jthread {
 public:
  template <class F, class... A>
  explicit jthread(F&& f, A&&... a) {}
  ~jthread();
  void join();
};
template <class T>
class future {
 public:
  T get();
  void wait() const;
};
template <class F, class... A>
future<int> async(F&& f, A&&... a) {
  return {};
}

template <class T>
class reference_wrapper {
 public:
  T& get() const;
};
template <class T>
reference_wrapper<T> ref(T&) {
  return {};
}

template <class T>
class vector {
 public:
  void push_back(const T&);
  template <class... A>
  T& emplace_back(A&&...) {
    return back();
  }
  T& back();
  T& operator[](size_t);
  const T& operator[](size_t) const;
  size_t size() const;
  T* begin();
  T* end();
  void clear();
};
template <class T>
class deque {
 public:
  void push_back(const T&);
  template <class... A>
  T& emplace_back(A&&...) {
    return back();
  }
  T& back();
  T* begin();
  T* end();
  size_t size() const;
};
class string {
 public:
  string();
  string(const char*);
  string& operator=(const char*);
  string& operator+=(const char*);
  size_t size() const;
};
}  // namespace std

typedef union {
  char size[40];
  long align;
} pthread_mutex_t;
typedef union {
  char size[48];
  long long align;
} pthread_cond_t;
typedef unsigned long pthread_t;
typedef union {
  char size[56];
  long align;
} pthread_attr_t;
#define PTHREAD_MUTEX_INITIALIZER {{0}}
#define PTHREAD_COND_INITIALIZER {{0}}
extern "C" {
int pthread_mutex_lock(pthread_mutex_t*);
int pthread_mutex_unlock(pthread_mutex_t*);
int pthread_mutex_trylock(pthread_mutex_t*);
int pthread_create(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
int pthread_join(pthread_t, void**);
int pthread_cond_wait(pthread_cond_t*, pthread_mutex_t*);
int pthread_cond_signal(pthread_cond_t*);
}

namespace racelens {
class Lock {
 public:
  explicit Lock(const char* name = "");
  bool acquire(bool blocking = true, double timeout = -1);
  void release();
  bool locked() const;
  void lock();
  void unlock();
  bool try_lock();
};
class RLock {
 public:
  explicit RLock(const char* name = "");
  bool acquire(bool blocking = true, double timeout = -1);
  void release();
  void lock();
  void unlock();
  bool try_lock();
};
class Condition {
 public:
  Condition();
  explicit Condition(Lock&, const char* name = "");
  bool wait(double timeout = -1);
  template <class P>
  bool wait_for(P predicate, double timeout = -1) {
    return {};
  }
  void notify(long n = 1);
  void notify_all();
  bool acquire(bool blocking = true, double timeout = -1);
  void release();
  void lock();
  void unlock();
  bool try_lock();
};
class Event {
 public:
  explicit Event(const char* name = "");
  bool is_set() const;
  void set();
  void clear();
  bool wait(double timeout = -1);
};
class Semaphore {
 public:
  explicit Semaphore(long value = 1, const char* name = "");
  bool acquire(bool blocking = true, double timeout = -1);
  void release(long n = 1);
};
struct ThreadOptions {
  const char* name = nullptr;
  bool daemon = false;
};
class Thread {
 public:
  Thread();
  template <class F, class... A>
  explicit Thread(F&& f, A&&... a) {}
  template <class F, class... A>
  Thread(ThreadOptions options, F&& f, A&&... a) {}
  virtual ~Thread();
  void start();
  void join(double timeout = -1);
  virtual void run();
};
class Timer {
 public:
  template <class F, class... A>
  Timer(double interval, F&& f, A&&... a) {}
  void start();
  void cancel();
  void join();
};
template <class T>
class Queue {
 public:
  void put(T item);
  T get();
  void task_done();
  void join();
};
template <class T>
class Shared {
 public:
  Shared(T value, const char* name = "");
  Shared& operator=(T value);
  operator T() const;
  Shared& operator+=(T value);
  T load() const;
  void store(T value);
};
template <class T>
class local {
 public:
  T& get();
};
template <class T>
class Future {
 public:
  Future() = default;
  Future(const Future&) = default;
  ~Future() {}  // not trivially destructible, as the real one (it holds a shared_ptr)
  T result(double timeout = -1);
  bool done() const;
  void wait();
};
class ThreadPoolExecutor {
 public:
  explicit ThreadPoolExecutor(int max_workers = 0);
  template <class F, class... A>
  Future<int> submit(F&& f, A&&... a) {
    return {};
  }
  template <class F, class R>
  std::vector<int> map(F&& f, const R& r) {
    return {};
  }
  void shutdown(bool wait = true);
};
class ProcessPoolExecutor {
 public:
  explicit ProcessPoolExecutor(int max_workers = 0);
  template <class F, class... A>
  Future<int> submit(F&& f, A&&... a) {
    return {};
  }
  void shutdown(bool wait = true);
};
template <class T>
class AsyncResult {
 public:
  T get(double timeout = -1);
  void wait(double timeout = -1);
  bool ready() const;
};
// As the real pool.hpp: the interface lives in a base class template, so a call on a pool goes
// through an implicit derived-to-base conversion of the object.
namespace detail {
template <class Backend>
class BasicPool {
 public:
  template <class F, class R>
  std::vector<int> map(F&& f, const R& r) {
    return {};
  }
  template <class F, class... A>
  int apply(F&& f, A&&... a) {
    return {};
  }
  template <class F, class... A>
  AsyncResult<int> apply_async(F&& f, A&&... a) {
    return {};
  }
  void close();
  void terminate();
  void join();
};
struct ProcessPoolBackend {};
struct ThreadPoolBackend {};
}  // namespace detail
class Pool : public detail::BasicPool<detail::ProcessPoolBackend> {
 public:
  explicit Pool(int processes = 0);
};
class ThreadPool : public detail::BasicPool<detail::ThreadPoolBackend> {
 public:
  explicit ThreadPool(int threads = 0);
};
namespace dummy {
using Pool = ThreadPool;
}
void sleep(double seconds);
}  // namespace racelens
