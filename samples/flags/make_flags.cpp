// make_flags: writes the flag images the local flags server serves, at build time.
//
//   make_flags OUT_DIR
//
// For every code of ALL_CC writes OUT_DIR/<cc>/<cc>.gif (lower case, as the book's site lays
// them out): a 60x40 GIF89a of three stripes and a centre square in colours derived from the
// code, so each country gets its own small, valid image. Writes OUT_DIR/country_codes.txt last,
// the book's list of the codes (the build uses it as the stamp of this step).
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "country_codes.hpp"

namespace {

constexpr int kWidth = 60;
constexpr int kHeight = 40;

struct Rgb {
  std::uint8_t r, g, b;
};

std::uint32_t Fnv1a(std::string_view text) {
  std::uint32_t h = 2166136261u;
  for (const char c : text) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 16777619u;
  }
  return h;
}

// Appends codes of `width` bits, least significant bit first, as GIF's LZW stream wants.
class BitWriter {
 public:
  void Put(unsigned code, int width) {
    for (int i = 0; i < width; ++i) {
      if (bit_ == 0) bytes_.push_back(0);
      if ((code >> i) & 1u) bytes_.back() = static_cast<std::uint8_t>(bytes_.back() | (1u << bit_));
      bit_ = (bit_ + 1) % 8;
    }
  }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
  int bit_ = 0;
};

// LZW data for 2-bit pixels without compression: a clear code before every pair of pixels
// keeps the dictionary (and so the code width, 3 bits) from growing.
std::vector<std::uint8_t> LzwUncompressed(const std::vector<std::uint8_t>& pixels) {
  constexpr unsigned kClear = 4;
  constexpr unsigned kEnd = 5;
  constexpr int kCodeWidth = 3;
  BitWriter out;
  for (std::size_t i = 0; i < pixels.size(); ++i) {
    if (i % 2 == 0) out.Put(kClear, kCodeWidth);
    out.Put(pixels[i], kCodeWidth);
  }
  out.Put(kEnd, kCodeWidth);
  return out.bytes();
}

std::string Gif(const std::array<Rgb, 4>& palette, const std::vector<std::uint8_t>& pixels) {
  std::string gif = "GIF89a";
  const auto put8 = [&gif](unsigned v) { gif += static_cast<char>(v & 0xffu); };
  const auto put16 = [&put8](unsigned v) {
    put8(v);
    put8(v >> 8);
  };
  put16(kWidth);
  put16(kHeight);
  put8(0x81);  // global colour table of 2^(1+1) = 4 entries
  put8(0);     // background colour
  put8(0);     // no aspect ratio
  for (const Rgb& c : palette) {
    put8(c.r);
    put8(c.g);
    put8(c.b);
  }
  put8(0x2c);  // image descriptor
  put16(0);
  put16(0);
  put16(kWidth);
  put16(kHeight);
  put8(0);  // no local colour table, not interlaced
  put8(2);  // LZW minimum code size
  const std::vector<std::uint8_t> data = LzwUncompressed(pixels);
  for (std::size_t at = 0; at < data.size(); at += 255) {
    const std::size_t n = std::min<std::size_t>(255, data.size() - at);
    put8(static_cast<unsigned>(n));
    for (std::size_t i = at; i < at + n; ++i) put8(data[i]);
  }
  put8(0);     // end of the image data
  put8(0x3b);  // trailer
  return gif;
}

std::string Flag(std::string_view cc) {
  const std::uint32_t h = Fnv1a(cc);
  std::array<Rgb, 4> palette{};
  for (std::size_t i = 0; i < palette.size(); ++i) {
    const std::uint32_t c = Fnv1a(std::string(cc) + static_cast<char>('0' + i));
    palette[i] = {static_cast<std::uint8_t>(c), static_cast<std::uint8_t>(c >> 8),
                  static_cast<std::uint8_t>(c >> 16)};
  }
  const bool vertical = (h & 1u) != 0;
  std::vector<std::uint8_t> pixels;
  pixels.reserve(kWidth * kHeight);
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const bool centre = x >= 24 && x < 36 && y >= 14 && y < 26;
      const int stripe = vertical ? x * 3 / kWidth : y * 3 / kHeight;
      pixels.push_back(static_cast<std::uint8_t>(centre ? 3 : stripe));
    }
  }
  return Gif(palette, pixels);
}

std::string Lower(std::string_view cc) {
  std::string s(cc);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_flags OUT_DIR\n");
    return 2;
  }
  const std::filesystem::path out_dir = argv[1];
  for (const std::string_view cc : flags::ALL_CC) {
    const std::string name = Lower(cc);
    std::filesystem::create_directories(out_dir / name);
    std::ofstream file(out_dir / name / (name + ".gif"), std::ios::binary);
    file << Flag(cc);
    if (!file) {
      std::fprintf(stderr, "make_flags: cannot write %s\n", (out_dir / name).c_str());
      return 1;
    }
  }
  std::ofstream codes(out_dir / "country_codes.txt");
  for (std::size_t i = 0; i < flags::ALL_CC.size(); ++i) {
    codes << flags::ALL_CC[i] << ((i + 1) % 15 == 0 ? '\n' : ' ');
  }
  codes << '\n';
  return codes ? 0 : 1;
}
