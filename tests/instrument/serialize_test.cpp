// tests/instrument/serialize_test.cpp — racelens/serialize.hpp: round trips of every supported
// type, the member hooks and Serialiser specialisations, which types are Serialisable, truncated
// and corrupt input, and 64 MiB values crossing a real pipe between processes through
// detail::WriteMessage/ReadMessage.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "racelens/detail/fork.hpp"
#include "racelens/detail/pipe_channel.hpp"
#include "racelens/serialize.hpp"

namespace racelens {
namespace {

using ::testing::HasSubstr;

template <class T>
T RoundTrip(const T& value) {
  return Deserialise<T>(Serialise(value));
}

enum Colour { kRed, kGreen = 7 };
enum class Size : std::uint8_t { kSmall = 1, kLarge = 200 };

// A class with the member hooks.
struct Point {
  int x = 0;
  std::string label;
  void racelens_serialise(ByteWriter& out) const {
    out.write(x);
    out.write(label);
  }
  static Point racelens_deserialise(ByteReader& in) {
    Point p;
    p.x = in.read<int>();
    p.label = in.read<std::string>();
    return p;
  }
  bool operator==(const Point&) const = default;
};

// A class that cannot be changed: serialised by a Serialiser specialisation.
struct Legacy {
  double weight;
  bool operator==(const Legacy&) const = default;
};

struct NoHooks {
  int x;
};

}  // namespace

template <>
struct Serialiser<Legacy> {
  static void write(ByteWriter& out, const Legacy& v) { out.write(v.weight); }
  static Legacy read(ByteReader& in) { return Legacy{in.read<double>()}; }
};

namespace {

static_assert(Serialisable<int>);
static_assert(Serialisable<const double>);
static_assert(Serialisable<Colour> && Serialisable<Size>);
static_assert(Serialisable<std::string>);
static_assert(Serialisable<std::vector<std::pair<std::string, std::optional<int>>>>);
static_assert(Serialisable<std::tuple<int, std::string, std::array<double, 2>>>);
static_assert(Serialisable<Point> && Serialisable<Legacy>);
static_assert(!Serialisable<int*>);
static_assert(!Serialisable<const char*>);
static_assert(!Serialisable<std::function<void()>>);
static_assert(!Serialisable<NoHooks>);
static_assert(!Serialisable<std::vector<NoHooks>>);
static_assert(!Serialisable<std::map<int, int>>);

TEST(SerializeTest, ArithmeticAndEnumsRoundTrip) {
  EXPECT_EQ(RoundTrip(42), 42);
  EXPECT_EQ(RoundTrip(-7LL), -7LL);
  EXPECT_EQ(RoundTrip(std::uint64_t{1} << 63), std::uint64_t{1} << 63);
  EXPECT_EQ(RoundTrip(2.5), 2.5);
  EXPECT_EQ(RoundTrip(1.25f), 1.25f);
  EXPECT_EQ(RoundTrip('x'), 'x');
  EXPECT_EQ(RoundTrip(true), true);
  EXPECT_EQ(RoundTrip(kGreen), kGreen);
  EXPECT_EQ(RoundTrip(Size::kLarge), Size::kLarge);
}

TEST(SerializeTest, StringsRoundTripWithAnyBytes) {
  EXPECT_EQ(RoundTrip(std::string()), "");
  const std::string binary("a\0b\xff", 4);
  EXPECT_EQ(RoundTrip(binary), binary);
  EXPECT_EQ(RoundTrip(std::monostate{}), std::monostate{});
}

TEST(SerializeTest, ContainersRoundTrip) {
  EXPECT_EQ(RoundTrip(std::vector<int>{1, 2, 3}), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(RoundTrip(std::vector<int>{}), std::vector<int>{});
  EXPECT_EQ(RoundTrip(std::vector<bool>{true, false, true}),
            (std::vector<bool>{true, false, true}));
  EXPECT_EQ(RoundTrip(std::vector<std::string>{"a", "", "ccc"}),
            (std::vector<std::string>{"a", "", "ccc"}));
  EXPECT_EQ(RoundTrip(std::array<int, 3>{4, 5, 6}), (std::array<int, 3>{4, 5, 6}));
  EXPECT_EQ(RoundTrip(std::array<std::string, 2>{"x", "y"}),
            (std::array<std::string, 2>{"x", "y"}));
  EXPECT_EQ(RoundTrip(std::pair<int, std::string>{1, "one"}),
            (std::pair<int, std::string>{1, "one"}));
  EXPECT_EQ(RoundTrip(std::tuple<int, double, std::string>{1, 2.0, "three"}),
            (std::tuple<int, double, std::string>{1, 2.0, "three"}));
  EXPECT_EQ(RoundTrip(std::tuple<>{}), std::tuple<>{});
  EXPECT_EQ(RoundTrip(std::optional<int>{}), std::nullopt);
  EXPECT_EQ(RoundTrip(std::optional<std::string>{"set"}), std::optional<std::string>{"set"});
  using Nested = std::vector<std::pair<std::string, std::optional<std::vector<int>>>>;
  const Nested nested{{"a", std::vector<int>{1}}, {"b", std::nullopt}};
  EXPECT_EQ(RoundTrip(nested), nested);
}

TEST(SerializeTest, MemberHooksRoundTrip) {
  const Point p{3, "three"};
  EXPECT_EQ(RoundTrip(p), p);
  const std::vector<Point> points{{1, "a"}, {2, "b"}};
  EXPECT_EQ(RoundTrip(points), points);
}

TEST(SerializeTest, SerialiserSpecialisationRoundTrips) {
  EXPECT_EQ(RoundTrip(Legacy{1.5}), Legacy{1.5});
  EXPECT_EQ(RoundTrip(std::optional<Legacy>{Legacy{2.5}}), std::optional<Legacy>{Legacy{2.5}});
}

TEST(SerializeTest, ValuesReadBackInTheOrderWritten) {
  ByteWriter out;
  out.write(1);
  out.write(std::string("two"));
  out.write(3.0);
  const std::string bytes = std::move(out).take();
  ByteReader in(bytes);
  EXPECT_EQ(in.read<int>(), 1);
  EXPECT_EQ(in.read<std::string>(), "two");
  EXPECT_EQ(in.read<double>(), 3.0);
  EXPECT_TRUE(in.at_end());
}

TEST(SerializeTest, TruncatedInputThrows) {
  const std::string bytes = Serialise(std::string("hello world"));
  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, bytes.size() - 1}) {
    try {
      Deserialise<std::string>(std::string_view(bytes).substr(0, cut));
      ADD_FAILURE() << "no error for input cut at " << cut;
    } catch (const RuntimeError& e) {
      EXPECT_THAT(e.what(), HasSubstr("ended early"));
    }
  }
  EXPECT_THROW(Deserialise<int>(std::string(2, '\0')), RuntimeError);
}

TEST(SerializeTest, CorruptSizeThrows) {
  const std::string bytes = Serialise(std::uint64_t{1} << 50);  // read back as a string's size
  try {
    Deserialise<std::string>(bytes);
    ADD_FAILURE() << "no error for a corrupt size";
  } catch (const RuntimeError& e) {
    EXPECT_THAT(e.what(), HasSubstr("corrupt"));
  }
}

// --- through a real pipe between processes ----------------------------------------------------

template <class T>
T ThroughPipeFromChild(const T& value) {
  int fds[2];
  if (::pipe(fds) != 0) throw RuntimeError("pipe() failed.");
  const pid_t pid = detail::ForkProcess();
  if (pid == 0) {
    ::close(fds[0]);
    const bool sent = detail::WriteMessage(fds[1], Serialise(value));
    detail::ExitForkedChild(sent ? 0 : 1);
  }
  ::close(fds[1]);
  const std::optional<std::string> bytes = detail::ReadMessage(fds[0]);
  ::close(fds[0]);
  int status = -1;
  ::waitpid(pid, &status, 0);
  EXPECT_EQ(status, 0);
  if (!bytes) throw RuntimeError("the child sent nothing.");
  return Deserialise<T>(*bytes);
}

TEST(SerializeTest, A64MiBStringCrossesAPipeIntact) {
  std::string big(64u << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 31 + (i >> 12));
  const std::string got = ThroughPipeFromChild(big);
  ASSERT_EQ(got.size(), big.size());
  EXPECT_TRUE(got == big);
}

TEST(SerializeTest, A64MiBVectorOfIntCrossesAPipeIntact) {
  std::vector<int> big((64u << 20) / sizeof(int));
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<int>(i ^ 0x5a5a5a5a);
  const std::vector<int> got = ThroughPipeFromChild(big);
  ASSERT_EQ(got.size(), big.size());
  EXPECT_TRUE(got == big);
}

// An empty message (std::monostate, Python's None) has no data pointer at all; it used to reach
// memcpy as a null pointer, which UBSan (asan preset) reports.
TEST(SerializeTest, AnEmptyMessageWithNoDataPointerRoundTrips) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  EXPECT_TRUE(detail::WriteMessage(fds[1], std::string_view()));
  ::close(fds[1]);
  EXPECT_EQ(detail::ReadMessage(fds[0]), std::optional<std::string>(""));
  ::close(fds[0]);
}

TEST(SerializeTest, ReadMessageReportsEndOfFileAsNullopt) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[1]);
  EXPECT_EQ(detail::ReadMessage(fds[0]), std::nullopt);
  ::close(fds[0]);
}

}  // namespace
}  // namespace racelens
