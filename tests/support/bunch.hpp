// tests/support/bunch.hpp — CPython lock_tests.py's `Bunch` helper in C++.
//
// Starts `n` racelens threads that each run `f()`, and lets the test wait
// until all have started or finished. With `wait_before_exit`, threads do not
// exit until do_finish() is called. Polling waits use short sleeps, as the
// Python helper does; they never decide an interleaving. BlockedThreads lets
// a test wait until workers are really blocked on a primitive.
#pragma once

#include <atomic>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "events/listener_registry.hpp"
#include "racelens/thread.hpp"
#include "racelens/time.hpp"

// EXPECT_THROW that also checks what(), for CPython's error messages. Unlike gmock's
// ThrowsMessage, it runs `statement` once: ThrowsMessage runs it again to explain a failure,
// repeating side effects such as taking a lock.
#define RACELENS_EXPECT_THROW_MESSAGE(statement, exception_type, message)               \
  do {                                                                                  \
    bool racelens_threw = false;                                                        \
    try {                                                                               \
      statement;                                                                        \
    } catch (const exception_type& racelens_e) {                                        \
      racelens_threw = true;                                                            \
      EXPECT_STREQ(racelens_e.what(), message) << "what() of " #statement;              \
    } catch (const std::exception& racelens_e) {                                        \
      racelens_threw = true;                                                            \
      ADD_FAILURE() << #statement " threw another exception than " #exception_type ": " \
                    << racelens_e.what();                                               \
    } catch (...) {                                                                     \
      racelens_threw = true;                                                            \
      ADD_FAILURE() << #statement " threw another exception than " #exception_type;     \
    }                                                                                   \
    if (!racelens_threw) ADD_FAILURE() << #statement " did not throw " #exception_type; \
  } while (false)

namespace racelens::testing {

// Polls `done` every millisecond; gives up after `limit` seconds (returns false).
inline bool WaitUntilTrue(const std::function<bool()>& done, double limit = 30.0) {
  const double end = racelens::monotonic() + limit;
  while (!done()) {
    if (racelens::monotonic() > end) return false;
    racelens::sleep(0.001);
  }
  return true;
}

class Bunch {
 public:
  Bunch(std::function<void()> f, int n, bool wait_before_exit = false)
      : n_(n), wait_before_exit_(wait_before_exit) {
    for (int i = 0; i < n; ++i) {
      threads_.emplace_back([this, f] {
        started_.fetch_add(1);
        try {
          f();
        } catch (...) {
          finished_.fetch_add(1);
          WaitForExitPermission();
          throw;
        }
        finished_.fetch_add(1);
        WaitForExitPermission();
      });
      threads_.back().start();
    }
  }
  Bunch(const Bunch&) = delete;
  Bunch& operator=(const Bunch&) = delete;
  ~Bunch() {
    do_finish();
    for (auto& t : threads_) t.join();
  }

  bool wait_for_started() {
    return WaitUntilTrue([this] { return started_.load() >= n_; });
  }
  bool wait_for_finished() {
    return WaitUntilTrue([this] { return finished_.load() >= n_; });
  }
  void do_finish() { can_exit_.store(true); }
  int started() const { return started_.load(); }
  int finished() const { return finished_.load(); }

 private:
  void WaitForExitPermission() {
    if (wait_before_exit_) WaitUntilTrue([this] { return can_exit_.load(); }, 600);
  }

  const int n_;
  const bool wait_before_exit_;
  std::atomic<int> started_{0};
  std::atomic<int> finished_{0};
  std::atomic<bool> can_exit_{false};
  std::deque<racelens::Thread> threads_;
};

// A list that threads append to, like the Python lists lock_tests.py's
// workers append their results to (atomic under the GIL).
template <class T>
class SharedList {
 public:
  void append(T value) {
    std::lock_guard lock(mutex_);
    items_.push_back(std::move(value));
  }
  std::vector<T> items() const {
    std::lock_guard lock(mutex_);
    return items_;
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return items_.size();
  }
  void clear() {
    std::lock_guard lock(mutex_);
    items_.clear();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<T> items_;
};

// Python's Bunch re-raises its threads' exceptions in the test; wrapping a
// worker in this makes an exception escaping it a test failure, not just a
// message on stderr.
inline std::function<void()> FailOnThrow(std::function<void()> f) {
  return [f = std::move(f)] {
    try {
      f();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "worker thread threw: " << e.what();
    } catch (...) {
      ADD_FAILURE() << "worker thread threw a non-std exception";
    }
  };
}

// Counts the threads currently blocked inside a racelens call on one object,
// from the runtime's OnBlock/OnUnblock events. Python's lock tests sleep a
// little and hope the workers blocked meanwhile (wait_threads_blocked());
// waiting for this count is the deterministic equivalent. Create it before
// the threads it watches and destroy it after they are joined. It sees events
// only while hooks are enabled (detect=1, the default).
class BlockedThreads final : public racelens::detail::EventListener {
 public:
  explicit BlockedThreads(const void* object) : object_(object) {
    racelens::detail::ListenerRegistry::Instance().Add(this);
  }
  BlockedThreads(const BlockedThreads&) = delete;
  BlockedThreads& operator=(const BlockedThreads&) = delete;
  ~BlockedThreads() override { racelens::detail::ListenerRegistry::Instance().Remove(this); }

  void OnBlock(racelens::detail::ThreadState&, const void* object, racelens::detail::BlockingCall,
               double, racelens::detail::Site) override {
    if (object == object_) blocked_.fetch_add(1);
  }
  void OnUnblock(racelens::detail::ThreadState&, const void* object) override {
    if (object == object_) blocked_.fetch_sub(1);
  }

  int blocked() const { return blocked_.load(); }
  // Waits until at least `n` threads are blocked on the object; false after `limit` seconds.
  bool wait_for(int n, double limit = 30.0) {
    return WaitUntilTrue([this, n] { return blocked_.load() >= n; }, limit);
  }

 private:
  const void* const object_;
  std::atomic<int> blocked_{0};
};

}  // namespace racelens::testing
