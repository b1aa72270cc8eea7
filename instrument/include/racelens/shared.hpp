// racelens/shared.hpp — memory the detector watches for data races.
//
// Races are found on memory the program declares shared:
//
//   racelens::Shared<int> value{0, "value"};
//   value = value + 1;             // a read, then a write
//   value += 1;                    // also a read, then a write
//   int v = value.load();          // one read
//   value.store(3);                // one write
//   list.write([](auto& v) { v.push_back(1); });   // f(T&) as one write
//   auto n = list.read([](const auto& v) { return v.size(); });  // f(const T&) as one read
//
//   RACELENS_READ(ptr, bytes, "name");  RACELENS_WRITE(ptr, bytes, "name");  // existing memory
//
// Shared<T> adds no synchronisation: it only reports each access to the
// runtime, which checks it against happens-before. Access it under a lock,
// or through other synchronisation, exactly as a plain T.
//
// Thread-safety: as the T it wraps — none of its own.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "racelens/detail/hooks.hpp"

namespace racelens {

template <class T>
class Shared {
 public:
  Shared()
    requires std::is_default_constructible_v<T>
      : value_() {}
  explicit Shared(T value, std::string_view name = {}) : value_(std::move(value)), name_(name) {}
  Shared(const Shared&) = delete;
  Shared& operator=(const Shared&) = delete;

  RACELENS_NOINLINE T load() const {
    Access(false, RACELENS_SITE());
    return value_;
  }
  RACELENS_NOINLINE void store(T value) {
    Access(true, RACELENS_SITE());
    value_ = std::move(value);
  }
  operator T() const { return LoadAt(RACELENS_SITE()); }
  Shared& operator=(T value) {
    StoreAt(std::move(value), RACELENS_SITE());
    return *this;
  }

  // f(const T&) as one read; returns what f returns.
  template <class F>
  RACELENS_NOINLINE decltype(auto) read(F&& f) const {
    Access(false, RACELENS_SITE());
    return std::forward<F>(f)(static_cast<const T&>(value_));
  }
  // f(T&) as one write; returns what f returns.
  template <class F>
  RACELENS_NOINLINE decltype(auto) write(F&& f) {
    Access(true, RACELENS_SITE());
    return std::forward<F>(f)(value_);
  }

  // Compound assignment: a read, then a write, as `value = value op x` would be.
#define RACELENS_SHARED_COMPOUND(op)              \
  template <class U>                              \
  RACELENS_NOINLINE Shared& operator op(U && x) { \
    Update(RACELENS_SITE());                      \
    value_ op std::forward<U>(x);                 \
    return *this;                                 \
  }
  RACELENS_SHARED_COMPOUND(+=)
  RACELENS_SHARED_COMPOUND(-=)
  RACELENS_SHARED_COMPOUND(*=)
  RACELENS_SHARED_COMPOUND(/=)
  RACELENS_SHARED_COMPOUND(%=)
  RACELENS_SHARED_COMPOUND(&=)
  RACELENS_SHARED_COMPOUND(|=)
  RACELENS_SHARED_COMPOUND(^=)
  RACELENS_SHARED_COMPOUND(<<=)
  RACELENS_SHARED_COMPOUND(>>=)
#undef RACELENS_SHARED_COMPOUND

  RACELENS_NOINLINE Shared& operator++() { return *this += 1; }
  RACELENS_NOINLINE Shared& operator--() { return *this -= 1; }
  T operator++(int) {
    T old = LoadAt(RACELENS_SITE());
    StoreAt(old + 1, RACELENS_SITE());
    return old;
  }
  T operator--(int) {
    T old = LoadAt(RACELENS_SITE());
    StoreAt(old - 1, RACELENS_SITE());
    return old;
  }

  const std::string& name() const noexcept { return name_; }

 private:
  RACELENS_NOINLINE T LoadAt(detail::Site site) const {
    Access(false, site);
    return value_;
  }
  RACELENS_NOINLINE void StoreAt(T value, detail::Site site) {
    Access(true, site);
    value_ = std::move(value);
  }
  void Access(bool is_write, detail::Site site) const {
    RACELENS_HOOK(OnMemoryAccess, &value_, sizeof(T), is_write,
                  name_.empty() ? nullptr : name_.c_str(), site, &shadow_);
  }
  void Update(detail::Site site) const {  // a read, then a write
    RACELENS_HOOK(OnMemoryUpdate, &value_, sizeof(T), name_.empty() ? nullptr : name_.c_str(), site,
                  &shadow_);
  }

  T value_;
  // The detector's race state of value_, beside it: checking an access reads no shared table.
  mutable detail::SyncClock shadow_;
  std::string name_;
};

}  // namespace racelens

// Reports a read / write of `bytes` bytes at `ptr`, named `name` (a string literal) in reports.
#define RACELENS_READ(ptr, bytes, name) \
  RACELENS_HOOK(OnMemoryAccess, (ptr), (bytes), false, (name), RACELENS_SITE())
#define RACELENS_WRITE(ptr, bytes, name) \
  RACELENS_HOOK(OnMemoryAccess, (ptr), (bytes), true, (name), RACELENS_SITE())
