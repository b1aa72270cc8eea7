// racelens/local.hpp — threading.local.
//
// `local<T>` gives every thread its own T, created on the thread's first
// access from the constructor's arguments (copied for each thread, as Python
// calls a local subclass's __init__ once per thread) and destroyed when that
// thread exits or when the local<T> is destroyed, whichever comes first.
//
//   local<Data> data;             // default-constructed per thread
//   local<int> counter{42};       // every thread starts at 42
//   data->x = 1;  (*data).y = 2;  data.get().z = 3;
//
// Thread-safety: get() returns the calling thread's own object; sharing that
// reference with another thread is the caller's business.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <tuple>
#include <utility>

namespace racelens {

namespace detail {
// Per-thread slots keyed by a never-reused id. Values live until their thread
// exits or the owning local<T> is destroyed.
class LocalSlots {
 public:
  static std::uint64_t NewKey();
  // The calling thread's value for `key`, created with `make` when missing.
  static void* Get(std::uint64_t key, const std::function<std::shared_ptr<void>()>& make);
  // Destroys the values of `key` in every thread.
  static void Forget(std::uint64_t key);
};
}  // namespace detail

template <class T>
class local {
 public:
  template <class... Args>
  explicit local(Args&&... args)
      : key_(detail::LocalSlots::NewKey()),
        make_([tup = std::make_tuple(std::decay_t<Args>(std::forward<Args>(args))...)] {
          return std::static_pointer_cast<void>(
              std::apply([](const auto&... a) { return std::make_shared<T>(a...); }, tup));
        }) {}
  local(const local&) = delete;
  local& operator=(const local&) = delete;
  ~local() { detail::LocalSlots::Forget(key_); }

  T& get() { return *static_cast<T*>(detail::LocalSlots::Get(key_, make_)); }
  T& operator*() { return get(); }
  T* operator->() { return &get(); }

 private:
  const std::uint64_t key_;
  const std::function<std::shared_ptr<void>()> make_;
};

}  // namespace racelens
