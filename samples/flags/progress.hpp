// samples/flags/progress.hpp — a tqdm-like progress bar (Debian packages no C++ one).
//
// Defines:
//   ProgressBar   `63%|██████▎   | 12/19 [00:00<00:00, 40.10it/s]`, redrawn in place
//   tqdm(range, total, disable)   wraps a range so that iterating it advances a bar, as Python's
//                                 `tqdm.tqdm(iterable, total=...)` does
//
// The bar is drawn on stdout, and only when stdout is a terminal: otherwise (a pipe, a file, a
// test) nothing is written, so output stays machine-readable. It fills the terminal's width, as
// tqdm does. close() draws the final state and ends the line; the destructor calls it.
//
// Thread-safety: none; one thread (the one iterating) owns a bar.
#pragma once

#include <chrono>
#include <cstddef>
#include <iterator>
#include <ranges>
#include <utility>

namespace flags {

class ProgressBar {
 public:
  ProgressBar(std::size_t total, bool disable);
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar();

  void update(std::size_t n = 1);
  void close();

 private:
  void draw();

  const std::size_t total_;
  const bool enabled_;
  const std::chrono::steady_clock::time_point start_;
  std::size_t n_ = 0;
  bool closed_ = false;
};

template <std::ranges::input_range R>
class Tqdm {
 public:
  Tqdm(R range, std::size_t total, bool disable) : range_(std::move(range)), bar_(total, disable) {}

  class iterator {
   public:
    using Inner = std::ranges::iterator_t<R>;
    using value_type = std::iter_value_t<Inner>;
    using difference_type = std::ptrdiff_t;

    iterator() = default;
    decltype(auto) operator*() const { return *inner_; }
    iterator& operator++() {
      ++inner_;
      bar_->update();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, const iterator& b) { return a.inner_ == b.inner_; }

   private:
    friend class Tqdm;
    iterator(Inner inner, ProgressBar* bar) : inner_(std::move(inner)), bar_(bar) {}
    Inner inner_{};
    ProgressBar* bar_ = nullptr;
  };

  iterator begin() { return iterator(std::ranges::begin(range_), &bar_); }
  iterator end() { return iterator(std::ranges::end(range_), &bar_); }

 private:
  R range_;
  ProgressBar bar_;
};

template <std::ranges::input_range R>
Tqdm<R> tqdm(R range, std::size_t total, bool disable = false) {
  return Tqdm<R>(std::move(range), total, disable);
}

}  // namespace flags
