// racelens/serialize.hpp — values that cross a process boundary.
//
// Process pool arguments and results and the items of mp:: queues are copied
// between processes as bytes. A type is `Serialisable` when it is
//   - an arithmetic type or an enum (copied as its bytes: both ends are the
//     same program, forked);
//   - std::string, std::monostate (Python's None);
//   - std::vector, std::array, std::pair, std::tuple or std::optional of
//     serialisable types;
//   - a class with the two hooks
//       void racelens_serialise(racelens::ByteWriter& out) const;
//       static T racelens_deserialise(racelens::ByteReader& in);
//     which write and read its members with out.write(member) and
//     in.read<Member>();
//   - or a type for which racelens::Serialiser<T> is specialised with
//       static void write(ByteWriter&, const T&);  static T read(ByteReader&);
// Anything else (raw pointers, references, std::function, a class without the
// hooks) is rejected at compile time: `RequireSerialisable<T>()` (used by
// Process, Pool, ProcessPoolExecutor and mp:: queues) fails a static_assert
// whose message says what to do.
//
// Errors: ByteReader::read throws RuntimeError("racelens: a serialised value
// ended early ...") when the bytes end before the value does (a peer process
// that died mid-message).
//
// Thread-safety: ByteWriter and ByteReader are single-threaded values.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "racelens/errors.hpp"

namespace racelens {

class ByteWriter;
class ByteReader;

// Specialise for a type you cannot add the member hooks to.
template <class T>
struct Serialiser {};

template <class T>
concept Serialisable = requires(ByteWriter& out, ByteReader& in, const T& value) {
  Serialiser<std::remove_cv_t<T>>::write(out, value);
  { Serialiser<std::remove_cv_t<T>>::read(in) } -> std::same_as<std::remove_cv_t<T>>;
};

// A growing byte buffer values are written to.
class ByteWriter {
 public:
  void write_bytes(const void* data, std::size_t size) {
    bytes_.append(static_cast<const char*>(data), size);
  }
  template <Serialisable T>
  void write(const T& value) {
    Serialiser<std::remove_cv_t<T>>::write(*this, value);
  }
  const std::string& bytes() const& { return bytes_; }
  std::string take() && { return std::move(bytes_); }

 private:
  std::string bytes_;
};

// Reads values back, in the order they were written.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  void read_bytes(void* out, std::size_t size) {
    if (size > bytes_.size()) {
      throw RuntimeError(
          "racelens: a serialised value ended early (the process that sent it may have died "
          "while sending); the value was not received.");
    }
    if (size != 0) std::memcpy(out, bytes_.data(), size);
    bytes_.remove_prefix(size);
  }
  template <Serialisable T>
  T read() {
    return Serialiser<std::remove_cv_t<T>>::read(*this);
  }
  bool at_end() const { return bytes_.empty(); }

 private:
  std::string_view bytes_;
};

// Fails to compile, with a message saying what to do, when T cannot cross a
// process boundary.
template <class T>
constexpr void RequireSerialisable() {
  static_assert(Serialisable<std::remove_cvref_t<T>>,
                "racelens: this type cannot cross a process boundary (a process pool argument or "
                "result, an mp:: queue item). Use arithmetic types, enums, std::string, "
                "std::vector/std::array/std::pair/std::tuple/std::optional of those, or give the "
                "type the hooks `void racelens_serialise(racelens::ByteWriter&) const` and "
                "`static T racelens_deserialise(racelens::ByteReader&)` (racelens/serialize.hpp).");
}

// One value to bytes and back.
template <class T>
std::string Serialise(const T& value) {
  RequireSerialisable<T>();
  ByteWriter out;
  if constexpr (Serialisable<T>) out.write(value);  // only the static_assert's message otherwise
  return std::move(out).take();
}
template <class T>
T Deserialise(std::string_view bytes) {
  RequireSerialisable<T>();
  if constexpr (Serialisable<T>) {
    ByteReader in(bytes);
    return in.read<T>();
  } else {
    std::terminate();  // unreachable: the static_assert above has failed
  }
}

// ---- the serialisers -------------------------------------------------------

template <class T>
  requires std::is_arithmetic_v<T> || std::is_enum_v<T>
struct Serialiser<T> {
  static void write(ByteWriter& out, const T& value) { out.write_bytes(&value, sizeof value); }
  static T read(ByteReader& in) {
    T value;
    in.read_bytes(&value, sizeof value);
    return value;
  }
};

template <>
struct Serialiser<std::monostate> {
  static void write(ByteWriter&, const std::monostate&) {}
  static std::monostate read(ByteReader&) { return {}; }
};

template <>
struct Serialiser<std::string> {
  static void write(ByteWriter& out, const std::string& value) {
    out.write(static_cast<std::uint64_t>(value.size()));
    out.write_bytes(value.data(), value.size());
  }
  static std::string read(ByteReader& in) {
    std::string value(CheckedSize(in.read<std::uint64_t>()), '\0');
    in.read_bytes(value.data(), value.size());
    return value;
  }
  static std::size_t CheckedSize(std::uint64_t size) {
    if (size > (std::uint64_t{1} << 40)) {
      throw RuntimeError(
          "racelens: a serialised string or vector claims more than 1 TiB; the "
          "bytes received are corrupt.");
    }
    return static_cast<std::size_t>(size);
  }
};

template <Serialisable T, class A>
struct Serialiser<std::vector<T, A>> {
  static void write(ByteWriter& out, const std::vector<T, A>& value) {
    out.write(static_cast<std::uint64_t>(value.size()));
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
      out.write_bytes(value.data(), value.size() * sizeof(T));
    } else {
      for (const auto& element : value) out.write(static_cast<const T&>(element));
    }
  }
  static std::vector<T, A> read(ByteReader& in) {
    const std::size_t size = Serialiser<std::string>::CheckedSize(in.read<std::uint64_t>());
    std::vector<T, A> value;
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
      value.resize(size);
      in.read_bytes(value.data(), size * sizeof(T));
    } else {
      value.reserve(size);
      for (std::size_t i = 0; i < size; ++i) value.push_back(in.read<T>());
    }
    return value;
  }
};

template <Serialisable T, std::size_t N>
struct Serialiser<std::array<T, N>> {
  static void write(ByteWriter& out, const std::array<T, N>& value) {
    for (const T& element : value) out.write(element);
  }
  static std::array<T, N> read(ByteReader& in) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      std::array<std::optional<T>, N> parts;
      ((parts[I].emplace(in.read<T>())), ...);
      return std::array<T, N>{std::move(*parts[I])...};
    }(std::make_index_sequence<N>{});
  }
};

template <Serialisable T>
struct Serialiser<std::optional<T>> {
  static void write(ByteWriter& out, const std::optional<T>& value) {
    out.write(value.has_value());
    if (value) out.write(*value);
  }
  static std::optional<T> read(ByteReader& in) {
    if (!in.read<bool>()) return std::nullopt;
    return in.read<T>();
  }
};

template <Serialisable... Ts>
struct Serialiser<std::tuple<Ts...>> {
  static void write(ByteWriter& out, const std::tuple<Ts...>& value) {
    std::apply([&](const Ts&... parts) { (out.write(parts), ...); }, value);
  }
  static std::tuple<Ts...> read(ByteReader& in) {
    // Braced initialisation evaluates left to right, in the order written.
    return std::tuple<Ts...>{in.read<Ts>()...};
  }
};

template <Serialisable A, Serialisable B>
struct Serialiser<std::pair<A, B>> {
  static void write(ByteWriter& out, const std::pair<A, B>& value) {
    out.write(value.first);
    out.write(value.second);
  }
  static std::pair<A, B> read(ByteReader& in) {
    A first = in.read<A>();
    B second = in.read<B>();
    return {std::move(first), std::move(second)};
  }
};

template <class T>
  requires requires(const T& value, ByteWriter& out, ByteReader& in) {
    value.racelens_serialise(out);
    { T::racelens_deserialise(in) } -> std::same_as<T>;
  }
struct Serialiser<T> {
  static void write(ByteWriter& out, const T& value) { value.racelens_serialise(out); }
  static T read(ByteReader& in) { return T::racelens_deserialise(in); }
};

}  // namespace racelens
